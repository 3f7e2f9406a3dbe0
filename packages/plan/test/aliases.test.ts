import * as pulumi from "@pulumi/pulumi";
import { aliasUrns } from "../src/runtime/aliases";
import type { CapturedResource } from "../src/runtime/capture";
import { diffPlans } from "../src/diff";
import type { PlanResource } from "../src/plan";
import { useMockRuntime } from "./helpers/mock-runtime";

const resource = (aliases: unknown[]): CapturedResource => ({
    urn: "urn:pulumi:dev::shop::pulumi:pulumi:Stack$multicloud:aws:SharedStorage$aws:efs/fileSystem:FileSystem::files-efs",
    type: "aws:efs/fileSystem:FileSystem",
    name: "files-efs",
    custom: true,
    read: false,
    options: {
        protect: false,
        retainOnDelete: false,
        deleteBeforeReplace: false,
        ignoreChanges: [],
        replaceOnChanges: [],
        additionalSecretOutputs: [],
        aliases,
        dependsOn: [],
    },
    inputs: {},
});

describe("aliases resolve to URNs as the engine resolves them", () => {
    test("a URN alias is itself", () => {
        expect(aliasUrns(resource([{ urn: "urn:pulumi:dev::shop::aws:efs/fileSystem:FileSystem::old" }]))).toEqual([
            "urn:pulumi:dev::shop::aws:efs/fileSystem:FileSystem::old",
        ]);
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

describe("a child inherits its parent's aliases, as the engine multiplies them out", () => {
    const child = (aliases: unknown[] = []): CapturedResource => ({
        ...resource(aliases),
        urn: "urn:pulumi:dev::shop::multicloud:aws:SharedStorage$aws:efs/fileSystem:FileSystem::files-efs",
        parent: "urn:pulumi:dev::shop::pulumi:pulumi:Stack$multicloud:aws:SharedStorage::files",
    });

    test("the child under each of its parent's aliases, the parent's name in its own replaced by the alias's", () => {
        expect(aliasUrns(child(), ["urn:pulumi:dev::shop::pulumi:pulumi:Stack$legacy:Storage::shared"])).toEqual([
            "urn:pulumi:dev::shop::legacy:Storage$aws:efs/fileSystem:FileSystem::shared-efs",
        ]);
    });

    test("each of the child's own aliases under each of its parent's", () => {
        expect(aliasUrns(child([{ spec: { name: "files-fs" } }]), ["urn:pulumi:dev::shop::pulumi:pulumi:Stack$legacy:Storage::files"])).toEqual([
            "urn:pulumi:dev::shop::multicloud:aws:SharedStorage$aws:efs/fileSystem:FileSystem::files-fs",
            "urn:pulumi:dev::shop::legacy:Storage$aws:efs/fileSystem:FileSystem::files-efs",
            "urn:pulumi:dev::shop::legacy:Storage$aws:efs/fileSystem:FileSystem::files-fs",
        ]);
    });

    test("a parent without aliases gives its children none", () => {
        expect(aliasUrns(child(), [])).toEqual([]);
    });
});

describe("a component retyped and renamed with an alias keeps its children in the diff", () => {
    const run = useMockRuntime({ project: "shop", stack: "dev" });

    class Raw extends pulumi.CustomResource {}

    class Files extends pulumi.ComponentResource {
        constructor(type: string, name: string, opts?: pulumi.ComponentResourceOptions) {
            super(type, name, {}, opts);
            new Raw("aws:efs/fileSystem:FileSystem", `${name}-efs`, { encrypted: true }, { parent: this });
            const mounts = new pulumi.ComponentResource("shop:storage:Mounts", `${name}-mounts`, {}, { parent: this });
            new Raw("aws:efs/mountTarget:MountTarget", `${name}-mounts-a`, { subnetId: "subnet-a" }, { parent: mounts });
            this.registerOutputs({});
        }
    }

    const planned = async (): Promise<PlanResource[]> => {
        const resources = await run.all();
        run.reset();
        return resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            parent: r.parent,
            custom: r.custom,
            protect: false,
            aliases: aliasUrns(r),
            inputs: r.inputs,
        }));
    };

    test("the file system and the mount target under a child component are matched through the inherited aliases", async () => {
        new Files("legacy:storage:Files", "files");
        const base = await planned();
        new Files("shop:storage:Files", "shared", { aliases: [{ type: "legacy:storage:Files", name: "files" }] });
        const head = await planned();

        const diff = diffPlans({ resources: base }, { resources: head });
        expect(diff.created).toEqual([]);
        expect(diff.deleted).toEqual([]);
        expect(diff.oneWayDoors).toEqual([]);
        expect(diff.aliased).toEqual(
            expect.arrayContaining([
                { urn: head.find((r) => r.name === "shared-efs")!.urn, oldUrn: base.find((r) => r.name === "files-efs")!.urn },
                { urn: head.find((r) => r.name === "shared-mounts-a")!.urn, oldUrn: base.find((r) => r.name === "files-mounts-a")!.urn },
            ]),
        );
    });
});
