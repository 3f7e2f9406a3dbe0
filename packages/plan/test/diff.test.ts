/**
 * The diff against the base branch's plan: created, deleted, changed by URN,
 * and the one-way doors (a stateful resource deleted or replaced, a rename
 * without an alias).
 */
import { blockedDoors, diffPlans, type DiffOptions } from "../src/diff";
import type { PlanResource } from "../src/plan";
import { testFacts } from "./helpers/facts";

const withFacts = (options: DiffOptions = {}): DiffOptions => ({ statefulHolds: testFacts.statefulHolds, ...options });

const stackUrn = "urn:pulumi:prod::p::pulumi:pulumi:Stack::p-prod";

function resource(type: string, name: string, inputs: Record<string, unknown> = {}, extra: Partial<PlanResource> = {}): PlanResource {
    return {
        urn: `urn:pulumi:prod::p::pulumi:pulumi:Stack$${type}::${name}`,
        type,
        name,
        parent: stackUrn,
        custom: true,
        protect: false,
        aliases: [],
        inputs,
        ...extra,
    };
}

const efs = (name: string, inputs: Record<string, unknown> = { encrypted: true }, extra: Partial<PlanResource> = {}) =>
    resource("aws:efs/fileSystem:FileSystem", name, inputs, extra);

describe("diffPlans", () => {
    test("lists created, deleted and changed resources by URN", () => {
        const base = {
            resources: [
                efs("files"),
                resource("aws:s3/bucketPolicy:BucketPolicy", "old-policy"),
                resource("aws:ec2/vpc:Vpc", "net", { cidrBlock: "10.0.0.0/16" }),
            ],
        };
        const head = { resources: [efs("files"), resource("aws:ec2/vpc:Vpc", "net", { cidrBlock: "10.1.0.0/16" }), resource("aws:ec2/subnet:Subnet", "a")] };
        const diff = diffPlans(base, head, withFacts());
        expect(diff.created.map((r) => r.name)).toEqual(["a"]);
        expect(diff.deleted.map((r) => r.name)).toEqual(["old-policy"]);
        expect(diff.changed).toEqual([expect.objectContaining({ name: "net", paths: ["cidrBlock"], replaceBecause: [] })]);
        expect(diff.oneWayDoors).toEqual([]);
    });

    test("a stateful resource renamed without an alias is a blocked one-way door", () => {
        const diff = diffPlans({ resources: [efs("shared-efs")] }, { resources: [efs("files-efs")] }, withFacts());
        expect(diff.oneWayDoors).toEqual([
            expect.objectContaining({ kind: "rename", name: "files-efs", oldName: "shared-efs", holds: "holds the files written to it", allowed: false }),
        ]);
        expect(blockedDoors(diff)).toHaveLength(1);
    });

    test("any custom resource renamed without an alias is a one-way door; a component is not", () => {
        const component = (name: string) => resource("multicloud:aws:Network", name, {}, { custom: false });
        const diff = diffPlans(
            { resources: [component("net"), resource("aws:ec2/vpc:Vpc", "net-vpc")] },
            { resources: [component("network"), resource("aws:ec2/vpc:Vpc", "network-vpc")] },
            withFacts(),
        );
        expect(diff.oneWayDoors.map((d) => [d.kind, d.name])).toEqual([["rename", "network-vpc"]]);
    });

    test("a rename with an alias to the old URN keeps the resource: no door, no create or delete", () => {
        const old = efs("shared-efs");
        const diff = diffPlans({ resources: [old] }, { resources: [efs("files-efs", { encrypted: true }, { aliases: [old.urn] })] }, withFacts());
        expect(diff.oneWayDoors).toEqual([]);
        expect(diff.created).toEqual([]);
        expect(diff.deleted).toEqual([]);
        expect(diff.aliased).toEqual([{ urn: efs("files-efs").urn, oldUrn: old.urn }]);
    });

    test("a change of a replace-on-change property of a stateful resource is a one-way door", () => {
        const diff = diffPlans(
            { resources: [efs("files", { encrypted: true, throughputMode: "elastic" })] },
            { resources: [efs("files", { encrypted: false, throughputMode: "bursting" })] },
            withFacts(),
        );
        expect(diff.changed[0].replaceBecause).toEqual(["encrypted"]);
        expect(diff.oneWayDoors).toEqual([expect.objectContaining({ kind: "replace", name: "files", because: ["encrypted"] })]);
    });

    test("an update in place of a stateful resource is not a door", () => {
        const diff = diffPlans(
            { resources: [efs("files", { throughputMode: "elastic" })] },
            { resources: [efs("files", { throughputMode: "bursting" })] },
            withFacts(),
        );
        expect(diff.changed).toHaveLength(1);
        expect(diff.oneWayDoors).toEqual([]);
    });

    test("nested replace-on-change paths count (a PVC's storage class), other nested paths do not", () => {
        const pvc = (storageClassName: string, storage: string) =>
            resource("kubernetes:core/v1:PersistentVolumeClaim", "data", { spec: { storageClassName, resources: { requests: { storage } } } });
        expect(diffPlans({ resources: [pvc("rwx", "10Gi")] }, { resources: [pvc("rwx", "20Gi")] }, withFacts()).oneWayDoors).toEqual([]);
        const diff = diffPlans({ resources: [pvc("rwx", "10Gi")] }, { resources: [pvc("fast", "10Gi")] }, withFacts());
        expect(diff.oneWayDoors).toEqual([expect.objectContaining({ kind: "replace", because: ["spec.storageClassName"] })]);
    });

    test("deleting a key, volume, queue or backup vault on any cloud is a one-way door; deleting a stateless resource or a secret the program sets is not", () => {
        for (const type of [
            "alicloud:kms/key:Key",
            "kubernetes:core/v1:PersistentVolumeClaim",
            "aws:sqs/queue:Queue",
            "aws:backup/vault:Vault",
            "alicloud:oss/bucket:Bucket",
            "gcp:compute/regionDisk:RegionDisk",
        ]) {
            const diff = diffPlans({ resources: [resource(type, "x")] }, { resources: [] }, withFacts());
            expect(diff.oneWayDoors).toEqual([expect.objectContaining({ kind: "delete", type })]);
        }
        for (const type of ["aws:ec2/subnet:Subnet", "aws:ssm/parameter:Parameter", "gcp:secretmanager/secret:Secret", "kubernetes:core/v1:Secret"]) {
            expect(diffPlans({ resources: [resource(type, "x")] }, { resources: [] }, withFacts()).oneWayDoors).toEqual([]);
        }
    });

    test("--allow-one-way-door accepts the resource name, the new URN or the old name", () => {
        const base = { resources: [efs("shared-efs")] };
        const head = { resources: [efs("files-efs")] };
        for (const allowed of ["files-efs", efs("files-efs").urn, "shared-efs"]) {
            expect(blockedDoors(diffPlans(base, head, withFacts({ allow: [allowed] })))).toEqual([]);
        }
        expect(blockedDoors(diffPlans(base, head, withFacts({ allow: ["something-else"] })))).toHaveLength(1);
    });
});
