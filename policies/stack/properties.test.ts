import { usePolicyPack } from "../../test/helpers/policy";
import { encryptionProperty, publicFlagTypes } from "./properties";

const pack = usePolicyPack();
const reported = (message: string) => message.slice(message.indexOf("\n") + 1);

async function messages(policy: string, type: string, inputs: Record<string, unknown>): Promise<string[]> {
    const violations = await pack.judge([{ type, inputs, protect: true }]);
    return violations.filter((v) => v.policy === policy).map((v) => reported(v.message));
}

describe("encrypted-at-rest", () => {
    const p = "encrypted-at-rest";
    test.each([
        ["aws:rds/cluster:Cluster", "storageEncrypted"],
        ["aws:docdb/cluster:Cluster", "storageEncrypted"],
        ["aws:redshift/cluster:Cluster", "encrypted"],
        ["alicloud:ecs/ecsDisk:EcsDisk", "encrypted"],
        ["alicloud:mongodb/instance:Instance", "encrypted"],
    ])("%s: %s left out or false is blocked; true passes", async (type, property) => {
        const message = `\`${property}\` is not true, so the data is stored unencrypted.`;
        expect(await messages(p, type, {})).toEqual([message]);
        expect(await messages(p, type, { [property]: false })).toEqual([message]);
        expect(await messages(p, type, { [property]: true })).toEqual([]);
    });

    test("covers every type that declares the property, except those judged by a policy of their own", async () => {
        expect(encryptionProperty.size).toBeGreaterThan(15);
        expect(encryptionProperty.get("aws:rds/instance:Instance")).toBe("storageEncrypted");
        expect(encryptionProperty.has("aws:efs/fileSystem:FileSystem")).toBe(false);
        expect(await messages(p, "aws:efs/fileSystem:FileSystem", {})).toEqual([]);
        expect(await messages(p, "aws:sqs/queue:Queue", {})).toEqual([]);
    });
});

describe("not-publicly-accessible", () => {
    const p = "not-publicly-accessible";
    test.each([
        ["aws:rds/instance:Instance"],
        ["aws:mq/broker:Broker"],
        ["aws:dms/replicationInstance:ReplicationInstance"],
        ["aws:redshiftserverless/workgroup:Workgroup"],
    ])("%s: publiclyAccessible true is blocked; false or left out passes", async (type) => {
        expect(await messages(p, type, { publiclyAccessible: true })).toEqual([
            "`publiclyAccessible` is true: the resource gets an address reachable from the internet.",
        ]);
        expect(await messages(p, type, { publiclyAccessible: false })).toEqual([]);
        expect(await messages(p, type, {})).toEqual([]);
    });

    test("judges only types that declare the property", async () => {
        expect(publicFlagTypes.size).toBeGreaterThan(10);
        expect(await messages(p, "aws:sqs/queue:Queue", { publiclyAccessible: true })).toEqual([]);
    });
});
