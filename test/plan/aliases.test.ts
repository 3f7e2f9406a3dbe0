import { aliasUrns } from "../../tools/plan/analyzer";
import type { CapturedResource } from "../../tools/plan/capture";

const resource = (aliases: unknown[]): CapturedResource => ({
    urn: "urn:pulumi:dev::shop::pulumi:pulumi:Stack$multicloud:aws:SharedStorage$aws:efs/fileSystem:FileSystem::files-efs",
    type: "aws:efs/fileSystem:FileSystem",
    name: "files-efs",
    custom: true,
    read: false,
    options: { protect: false, retainOnDelete: false, deleteBeforeReplace: false, ignoreChanges: [], replaceOnChanges: [], additionalSecretOutputs: [], aliases, dependsOn: [] },
    inputs: {},
});

describe("aliases resolve to URNs as the engine resolves them", () => {
    test("a URN alias is itself", () => {
        expect(aliasUrns(resource([{ urn: "urn:pulumi:dev::shop::aws:efs/fileSystem:FileSystem::old" }]))).toEqual(["urn:pulumi:dev::shop::aws:efs/fileSystem:FileSystem::old"]);
    });
    test("a renamed resource keeps its parent's type chain", () => {
        expect(aliasUrns(resource([{ spec: { name: "efs" } }]))).toEqual([
            "urn:pulumi:dev::shop::pulumi:pulumi:Stack$multicloud:aws:SharedStorage$aws:efs/fileSystem:FileSystem::efs",
        ]);
    });
    test("a resource moved from another parent takes that parent's chain", () => {
        const [urn] = aliasUrns(resource([{ spec: { name: "files-efs", parenturn: "urn:pulumi:dev::shop::pulumi:pulumi:Stack$legacy:Storage::files" } }]));
        expect(urn).toBe("urn:pulumi:dev::shop::pulumi:pulumi:Stack$legacy:Storage$aws:efs/fileSystem:FileSystem::files-efs");
    });
    test("an alias without a parent drops the chain", () => {
        expect(aliasUrns(resource([{ spec: { noparent: true } }]))).toEqual(["urn:pulumi:dev::shop::aws:efs/fileSystem:FileSystem::files-efs"]);
    });
});
