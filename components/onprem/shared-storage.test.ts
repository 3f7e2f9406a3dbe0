import * as pulumi from "@pulumi/pulumi";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { SharedStorage } from "./shared-storage";

const run = useMockRuntime();
const args = { environment: "dev" as const, namespace: "team-dev", sizeGib: 200, storageClassName: "nfs-csi" };

test("a ReadWriteMany claim on the configured class, in the namespace", async () => {
    new SharedStorage("rwx", args);
    const pvc = await run.one("kubernetes:core/v1:PersistentVolumeClaim", "rwx");
    expect(pvc.plain.spec.accessModes).toEqual(["ReadWriteMany"]);
    expect(pvc.plain.spec.storageClassName).toBe("nfs-csi");
    expect(pvc.plain.spec.resources.requests.storage).toBe("200Gi");
    expect(pvc.plain.metadata.namespace).toBe("team-dev");
    expect(pvc.options.protect).toBe(false);
});

test("in prod the claim is protected and a Velero schedule backs the namespace up", async () => {
    new SharedStorage("prodfs", { ...args, environment: "prod" });
    expect((await run.one("kubernetes:core/v1:PersistentVolumeClaim", "prodfs")).options.protect).toBe(true);
    const schedule = await run.one("kubernetes:velero.io/v1:Schedule", "prodfs");
    expect(schedule.plain.metadata.namespace).toBe("velero");
    expect(schedule.plain.spec.template).toMatchObject({ includedNamespaces: ["team-dev"], defaultVolumesToFsBackup: true });
});

test("the Velero schedule carries the claim's labels, including those a stack transform gives the claim", async () => {
    // As the stack's cost transform does: it labels the kinds it knows, and a Schedule is none of them.
    pulumi.runtime.registerResourceTransform(({ type, props, opts }) =>
        type === "kubernetes:core/v1:PersistentVolumeClaim"
            ? { props: { ...props, metadata: { ...props.metadata, labels: { ...props.metadata?.labels, "cost-center": "cc-42" } } }, opts }
            : undefined,
    );
    // And as a program's own transformation through the kit does.
    const teamLabel: pulumi.ResourceTransformation = ({ type, props, opts }) =>
        type === "kubernetes:core/v1:PersistentVolumeClaim"
            ? { props: { ...props, metadata: { ...props.metadata, labels: { ...props.metadata?.labels, team: "partner" } } }, opts }
            : undefined;
    new SharedStorage("labelled", { ...args, environment: "prod" }, { transformations: [teamLabel] });
    const claim = await run.one("kubernetes:core/v1:PersistentVolumeClaim", "labelled");
    const schedule = await run.one("kubernetes:velero.io/v1:Schedule", "labelled");
    expect(claim.plain.metadata.labels).toEqual({ team: "partner", "cost-center": "cc-42" });
    expect(schedule.plain.metadata.labels).toEqual(claim.plain.metadata.labels);
});

test("no backup schedule in dev", async () => {
    new SharedStorage("devfs", args);
    expect(await run.ofType("kubernetes:velero.io/v1:Schedule", "devfs")).toHaveLength(0);
});

test("rejects a missing storage class", () => {
    expect(() => new SharedStorage("noclass", { ...args, storageClassName: "" })).toThrow(
        "SharedStorage: `storageClassName` must name a ReadWriteMany storage class (e.g. nfs-csi); the cluster default is not used.",
    );
});

test("rejects a size below 1 GiB", () => {
    expect(() => new SharedStorage("tiny", { ...args, sizeGib: 0 })).toThrow("SharedStorage: `sizeGib` must be a whole number >= 1, got 0.");
});
