import { usePolicyPack } from "../../test/helpers/policy";
import devConfig from "../config/dev.json";
import type { PolicyPackConfig } from "pulumi-offline-plan";

const pack = usePolicyPack();
/** The dev stacks' policy configuration; a JSON import types its enforcement levels as plain strings. */
const dev = devConfig as PolicyPackConfig;
const p = "stateful-resources-protected";
const reported = (message: string) => message.slice(message.indexOf("\n") + 1);

async function messages(type: string, protect = false, policyConfig?: Record<string, unknown>): Promise<string[]> {
    const violations = await pack.judge([{ type, inputs: {}, protect }], policyConfig ? { policyConfig: policyConfig as never } : {});
    return violations.filter((v) => v.policy === p).map((v) => reported(v.message));
}

const message = (holds: string, family: string) =>
    `This resource is not protected, and it ${holds} (${family}): a replacement or delete would lose that data. Set the \`protect\` resource option.`;

test.each([
    ["aws:efs/fileSystem:FileSystem", message("holds the files written to it", "aws volumes and file systems")],
    ["aws:fsx/ontapFileSystem:OntapFileSystem", message("holds the files written to it", "aws volumes and file systems")],
    ["aws:backup/vault:Vault", message("holds the backups themselves", "aws snapshots and backup vaults")],
    ["aws:sqs/queue:Queue", message("holds messages not yet consumed", "aws queues and streams")],
    ["gcp:compute/regionDisk:RegionDisk", message("holds the blocks written to it", "gcp disks and snapshots")],
    ["gcp:sql/databaseInstance:DatabaseInstance", message("holds the rows, documents or datasets written to it", "gcp databases")],
    ["alicloud:oss/bucket:Bucket", message("holds the objects written to it", "alicloud buckets")],
    ["alicloud:kms/key:Key", message("holds keys that data elsewhere is encrypted with", "alicloud key material")],
    ["kubernetes:core/v1:PersistentVolumeClaim", message("holds the files a workload wrote to it", "kubernetes persistent volumes")],
])("%s unprotected is blocked in prod; protected passes", async (type, expected) => {
    expect(await messages(type)).toEqual([expected]);
    expect(await messages(type, true)).toEqual([]);
});

test.each([
    ["a plain SSM parameter holding a setting", "aws:ssm/parameter:Parameter"],
    ["a secret whose value the program sets", "gcp:secretmanager/secret:Secret"],
    ["a Kubernetes Secret", "kubernetes:core/v1:Secret"],
    ["a compute member of a database cluster", "aws:rds/clusterInstance:ClusterInstance"],
    ["a network", "aws:ec2/vpc:Vpc"],
])("%s is not stateful", async (_what, type) => {
    expect(await messages(type)).toEqual([]);
});

test("dev relaxes it to advisory", async () => {
    const v = await pack.judge([{ type: "aws:efs/fileSystem:FileSystem", inputs: {} }], { policyConfig: dev });
    expect(v.find((x) => x.policy === p)?.enforcementLevel).toBe("advisory");
});
