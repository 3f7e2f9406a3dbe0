import { serviceAccountId } from "./service-account-id";

const valid = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

test("keeps a short valid name", () => {
    expect(serviceAccountId("analytics-workers")).toBe("analytics-workers");
});

test("shortens long names to 30 characters and keeps them distinct", () => {
    const a = serviceAccountId("analytics-gcp-workers-batch-long-name-one");
    const b = serviceAccountId("analytics-gcp-workers-batch-long-name-two");
    expect(a).toMatch(valid);
    expect(b).toMatch(valid);
    expect(a).not.toBe(b);
});

test("pads short names and fixes a leading digit", () => {
    expect(serviceAccountId("vm")).toMatch(valid);
    expect(serviceAccountId("1workers")).toMatch(valid);
});
