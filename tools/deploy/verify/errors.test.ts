import { messageOf } from "./errors";

describe("messageOf", () => {
    test("keeps the causes beneath the message, once each", () => {
        const refused = new Error("connect ECONNREFUSED 127.0.0.1:443");
        const failed = new Error("fetch failed", { cause: refused });
        expect(messageOf(failed)).toBe("fetch failed: connect ECONNREFUSED 127.0.0.1:443");
        expect(messageOf(new Error("fetch failed: connect ECONNREFUSED", { cause: new Error("connect ECONNREFUSED") }))).toBe(
            "fetch failed: connect ECONNREFUSED",
        );
    });

    test("reads an error of another realm by its shape, and a thrown string or number as itself", () => {
        expect(messageOf({ message: "quota exceeded", cause: { message: "429" } })).toBe("quota exceeded: 429");
        expect(messageOf("timed out")).toBe("timed out");
        expect(messageOf(503)).toBe("503");
    });

    test("an object that says nothing is not printed as [object Object]", () => {
        expect(messageOf({ code: 7 })).toBe("unknown error");
        expect(messageOf(new Error("denied", { cause: { status: 403 } }))).toBe("denied");
    });
});
