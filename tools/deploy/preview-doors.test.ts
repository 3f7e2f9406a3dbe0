import { describePreviewDoor, doorsInPreview, typeOfUrn, type PreviewStep } from "./preview-doors";

const urn = (type: string, name: string, parent = "multicloud:aws:SharedStorage") => `urn:pulumi:transactional-prod::multicloud::${parent}$${type}::${name}`;
const efs = "aws:efs/fileSystem:FileSystem";

describe("one-way doors in `pulumi preview --json`", () => {
    test("the type of a URN is its last type, after the parents'", () => {
        expect(typeOfUrn(urn(efs, "files-efs"))).toBe(efs);
        expect(typeOfUrn("urn:pulumi:s::p::pulumi:pulumi:Stack::p-s")).toBe("pulumi:pulumi:Stack");
    });

    test("a stateful resource replaced is a door, once, however many steps the replacement takes; a stateless one is not", () => {
        const steps: PreviewStep[] = [
            { op: "create-replacement", urn: urn(efs, "files-efs"), newState: { type: efs }, replaceReasons: ["kmsKeyId"] },
            { op: "replace", urn: urn(efs, "files-efs"), oldState: { type: efs, protect: true }, newState: { type: efs }, replaceReasons: ["kmsKeyId"] },
            { op: "delete-replaced", urn: urn(efs, "files-efs"), oldState: { type: efs, protect: true } },
            { op: "replace", urn: urn("aws:ec2/launchTemplate:LaunchTemplate", "lt"), oldState: { type: "aws:ec2/launchTemplate:LaunchTemplate" } },
        ];
        const doors = doorsInPreview(steps);
        expect(doors.map((d) => [d.kind, d.type, d.because])).toEqual([["replace", efs, ["kmsKeyId"]]]);
        expect(describePreviewDoor(doors[0])).toMatch(
            /^aws:efs\/fileSystem:FileSystem urn:pulumi:.*::files-efs \(it .+\) would be replaced \(changed: kmsKeyId\)$/,
        );
    });

    test("a stateful delete is a door and says whether the resource is protected; one kept on delete is not", () => {
        const doors = doorsInPreview([
            { op: "delete", urn: urn(efs, "old-efs"), oldState: { type: efs, protect: true } },
            { op: "delete", urn: urn(efs, "kept-efs"), oldState: { type: efs, retainOnDelete: true } },
            { op: "delete", urn: urn("aws:ec2/securityGroup:SecurityGroup", "sg"), oldState: { type: "aws:ec2/securityGroup:SecurityGroup" } },
        ]);
        expect(doors.map((d) => [d.kind, d.urn.split("::").pop(), d.protected])).toEqual([["delete", "old-efs", true]]);
    });

    test("a delete and a create of the same type without an alias is a rename door, on the new URN, with the old one kept", () => {
        const doors = doorsInPreview([
            { op: "create", urn: urn(efs, "files-efs"), newState: { type: efs } },
            { op: "delete", urn: urn(efs, "shared-efs"), oldState: { type: efs, protect: true } },
            { op: "create", urn: urn("aws:ec2/subnet:Subnet", "new-subnet"), newState: { type: "aws:ec2/subnet:Subnet" } },
        ]);
        expect(doors).toEqual([
            { kind: "rename", urn: urn(efs, "files-efs"), oldUrn: urn(efs, "shared-efs"), type: efs, holds: expect.any(String), protected: true },
        ]);
    });

    test("updates, creates and sames are no doors", () => {
        expect(
            doorsInPreview([
                { op: "update", urn: urn(efs, "files-efs") },
                { op: "same", urn: urn(efs, "x") },
                { op: "create", urn: urn(efs, "y") },
            ]),
        ).toEqual([]);
    });
});
