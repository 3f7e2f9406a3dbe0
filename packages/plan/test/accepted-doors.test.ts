import { acceptance, AcceptedDoorsError, parseAcceptedDoors } from "../src/accepted-doors";
import { diffPlans } from "../src/diff";
import type { PlanResource } from "../src/model";
import { withAcceptedDoors } from "../src/review";
import { testFacts } from "./helpers/facts";

const urn = "urn:pulumi:transactional-prod::multicloud::aws:efs/fileSystem:FileSystem::files-efs";
const entry = (fields: Record<string, string> = {}) =>
    ({
        stack: "transactional-prod",
        urn,
        reason: "Moved to a new key; the data was copied first.",
        acceptedBy: "@lead",
        expires: "2027-01-31",
        ...fields,
    }) as Record<string, string>;
const yaml = (...entries: Record<string, string>[]) =>
    `doors:\n${entries
        .map(
            (e) =>
                `  - ${Object.entries(e)
                    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
                    .join("\n    ")}`,
        )
        .join("\n")}\n`;
const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe("the accepted-doors file", () => {
    test("an entry counts through its expiry day and not after", () => {
        expect(parseAcceptedDoors(yaml(entry()), "doors.yaml", day("2027-01-31")).accepted).toHaveLength(1);
        const after = parseAcceptedDoors(yaml(entry()), "doors.yaml", day("2027-02-01"));
        expect(after.accepted).toEqual([]);
        expect(after.expired.map((d) => d.urn)).toEqual([urn]);
    });

    test("an unquoted YAML date means the same day as a quoted one", () => {
        const text = yaml(entry()).replace('expires: "2027-01-31"', "expires: 2027-01-31");
        expect(parseAcceptedDoors(text, "doors.yaml", day("2027-01-01")).accepted[0].expires).toBe("2027-01-31");
    });

    test("a door is accepted only in its own stack, by its URN or, for a rename, its old URN", () => {
        const doors = parseAcceptedDoors(yaml(entry()), "doors.yaml", day("2027-01-01"));
        expect(acceptance(doors, "transactional-prod", urn)?.acceptedBy).toBe("@lead");
        expect(acceptance(doors, "transactional-prod", "urn:pulumi:x::y::z::new", urn)).toBeDefined();
        expect(acceptance(doors, "transactional-dev", urn)).toBeUndefined();
        expect(acceptance(doors, "transactional-prod", `${urn}-2`)).toBeUndefined();
    });

    test.each([
        [{ expires: "soon" }, /doors\[0\]\.expires: a date, YYYY-MM-DD/],
        [{ urn: "files-efs" }, /doors\[0\]\.urn: a URN, as the plan prints it/],
        [{ reason: "ok" }, /doors\[0\]\.reason: a sentence saying why the loss is accepted/],
        [{ stack: "a b" }, /doors\[0\]\.stack: a stack name such as transactional-prod/],
    ])("a bad entry (%j) names the file, the entry and key, and what is valid", (fields, message) => {
        expect(() => parseAcceptedDoors(yaml(entry(fields)), "deploy/accepted-doors.yaml")).toThrow(AcceptedDoorsError);
        expect(() => parseAcceptedDoors(yaml(entry(fields)), "deploy/accepted-doors.yaml")).toThrow(message);
        expect(() => parseAcceptedDoors(yaml(entry(fields)), "deploy/accepted-doors.yaml")).toThrow(/^Invalid deploy\/accepted-doors\.yaml: /);
    });

    test("an unknown key, a missing key and a second entry for the same door are refused", () => {
        expect(() => parseAcceptedDoors(yaml({ ...entry(), approvedBy: "@x" }), "f.yaml")).toThrow(/doors\[0\]: Unrecognized key/);
        const { acceptedBy: _dropped, ...missing } = entry();
        expect(() => parseAcceptedDoors(yaml(missing), "f.yaml")).toThrow(/doors\[0\]\.acceptedBy/);
        expect(() => parseAcceptedDoors(yaml(entry(), entry()), "f.yaml")).toThrow(/doors\[1\] accepts .* a second time/);
        expect(() => parseAcceptedDoors("doors: [", "f.yaml")).toThrow(/^f\.yaml is not valid YAML/);
    });
});

describe("a reviewed diff with the accepted doors", () => {
    const efs = (name: string): PlanResource => ({
        urn: `urn:pulumi:transactional-prod::multicloud::aws:efs/fileSystem:FileSystem::${name}`,
        type: "aws:efs/fileSystem:FileSystem",
        name,
        parent: "urn:pulumi:transactional-prod::multicloud::pulumi:pulumi:Stack::multicloud-transactional-prod",
        custom: true,
        protect: true,
        aliases: [],
        inputs: { encrypted: true },
    });

    test("the accepted door is allowed and carries its entry; another stays blocked", () => {
        const diff = diffPlans({ resources: [efs("files-efs"), efs("logs-efs")] }, { resources: [] }, { statefulHolds: testFacts.statefulHolds });
        const doors = parseAcceptedDoors(yaml(entry()), "deploy/accepted-doors.yaml", day("2027-01-01"));
        const reviewed = withAcceptedDoors(diff, "transactional-prod", doors).oneWayDoors;
        expect(reviewed.map((d) => [d.name, d.allowed, d.accepted?.acceptedBy])).toEqual([
            ["files-efs", true, "@lead"],
            ["logs-efs", false, undefined],
        ]);
        expect(reviewed[0].accepted).toEqual({ file: "deploy/accepted-doors.yaml", acceptedBy: "@lead", reason: entry().reason, expires: "2027-01-31" });
    });
});
