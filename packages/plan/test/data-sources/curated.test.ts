import { crc32 } from "node:zlib";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { answerCall } from "../../src/data-sources/index";

const answer = (token: string, inputs: Record<string, unknown> = {}) => answerCall(token, inputs).outputs as Record<string, any>;

describe("aws.iam.getPolicyDocument", () => {
    const document = (inputs: Record<string, unknown>) => answer("aws:iam/getPolicyDocument:getPolicyDocument", inputs);

    it("renders the statements as JSON that parses back to the policy they state", () => {
        const out = document({
            statements: [
                {
                    sid: "ReadLogs",
                    actions: ["logs:GetLogEvents", "logs:DescribeLogStreams", "logs:GetLogEvents"],
                    resources: ["arn:aws:logs:eu-west-1:123456789012:log-group:app:*"],
                    principals: [{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }],
                    conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] }],
                },
                { effect: "Deny", notActions: ["s3:GetObject"], resources: ["*"] },
            ],
        });
        expect(JSON.parse(out.json)).toEqual({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ReadLogs",
                    Effect: "Allow",
                    Action: ["logs:GetLogEvents", "logs:DescribeLogStreams"],
                    Resource: "arn:aws:logs:eu-west-1:123456789012:log-group:app:*",
                    Principal: { Service: "ecs-tasks.amazonaws.com" },
                    Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
                },
                { Effect: "Deny", NotAction: "s3:GetObject", Resource: "*" },
            ],
        });
        expect(out.minifiedJson).toBe(JSON.stringify(JSON.parse(out.json)));
        expect(out.json).toContain('\n  "Statement": [\n    {\n      "Sid": "ReadLogs",');
        expect(out.id).toBe(String(crc32(out.json)));
    });

    it('sorts set members in descending order, keeps condition values in order, and writes a lone wildcard principal as "*"', () => {
        const out = JSON.parse(
            document({
                statements: [
                    {
                        actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                        principals: [{ type: "*", identifiers: ["*"] }],
                        conditions: [{ test: "IpAddress", variable: "aws:SourceIp", values: ["10.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12"] }],
                    },
                ],
            }).json,
        );
        expect(out.Statement[0].Action).toEqual(["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]);
        expect(out.Statement[0].Principal).toBe("*");
        expect(out.Statement[0].Condition.IpAddress["aws:SourceIp"]).toEqual(["10.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12"]);
    });

    it("merges source documents, then the statements, then overrides, by Sid", () => {
        const source = JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Sid: "A", Effect: "Allow", Action: "s3:*", Resource: "*" },
                { Sid: "B", Effect: "Allow", Action: "sqs:*", Resource: "*" },
            ],
        });
        const override = JSON.stringify({ Statement: { Sid: "B", Effect: "Deny", Action: "sqs:*", Resource: "*" } });
        const out = JSON.parse(
            document({
                sourcePolicyDocuments: [source],
                statements: [{ sid: "A", actions: ["s3:GetObject"], resources: ["*"] }],
                overridePolicyDocuments: [override],
                policyId: "bucket-policy",
            }).json,
        );
        expect(out.Id).toBe("bucket-policy");
        expect(out.Statement).toEqual([
            { Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
            { Sid: "B", Effect: "Deny", Action: "sqs:*", Resource: "*" },
        ]);
    });

    it("turns &{ into a policy variable and escapes as the provider's encoder does", () => {
        const out = document({ statements: [{ actions: ["s3:ListBucket"], resources: ["arn:aws:s3:::b/home/&{aws:username}/<x>"] }] });
        expect(out.json).toContain('"Resource": "arn:aws:s3:::b/home/${aws:username}/\\u003cx\\u003e"');
        expect(JSON.parse(out.json).Statement[0].Resource).toBe("arn:aws:s3:::b/home/${aws:username}/<x>");
    });

    it("rejects a duplicate Sid and a policy variable in version 2008-10-17, naming the function", () => {
        expect(() =>
            answerCall("aws:iam/getPolicyDocument:getPolicyDocument", {
                statements: [
                    { sid: "X", actions: ["a:b"] },
                    { sid: "X", actions: ["a:c"] },
                ],
            }),
        ).toThrow("The offline answer to the provider function `aws:iam/getPolicyDocument:getPolicyDocument` failed: duplicate Sid (X).");
        expect(() =>
            answerCall("aws:iam/getPolicyDocument:getPolicyDocument", {
                version: "2008-10-17",
                statements: [{ actions: ["a:b"], resources: ["&{aws:username}"] }],
            }),
        ).toThrow(/getPolicyDocument.*not supported in document version 2008-10-17/);
    });
});

describe("other curated answers are realistic", () => {
    it("aws: zones and their ids follow the region; an AMI has an image id and the name its filter asks for", () => {
        const zones = answer("aws:index/getAvailabilityZones:getAvailabilityZones", { region: "eu-central-1" });
        expect(zones.names).toEqual(["eu-central-1a", "eu-central-1b", "eu-central-1c"]);
        expect(zones.zoneIds).toEqual(["euc1-az1", "euc1-az2", "euc1-az3"]);
        expect(answer("aws:index/getAvailabilityZones:getAvailabilityZones", { region: "ap-southeast-2" }).zoneIds[0]).toBe("apse2-az1");

        const ami = answer("aws:ec2/getAmi:getAmi", { owners: ["amazon"], mostRecent: true, filters: [{ name: "name", values: ["al2023-ami-*-arm64"] }] });
        expect(ami.id).toMatch(/^ami-0[0-9a-f]{16}$/);
        expect(ami.imageId).toBe(ami.id);
        expect(ami.name).toBe("al2023-ami-2023.9.20261110.0-arm64");
        expect(ami.architecture).toBe("arm64");
        expect(ami.ownerId).toBe("137112412989");
        expect(ami.mostRecent).toBe(true);
    });

    it("aws: ARNs parsed, built and trimmed of a role's path, as the provider's functions compute them", () => {
        expect(answer("aws:index/arnParse:arnParse", { arn: "arn:aws:logs:eu-west-1:123456789012:log-group:app:*" })).toEqual({
            partition: "aws",
            service: "logs",
            region: "eu-west-1",
            accountId: "123456789012",
            resource: "log-group:app:*",
        });
        expect(answer("aws:index/arnBuild:arnBuild", { partition: "aws", service: "s3", region: "", accountId: "", resource: "assets" }).result).toBe(
            "arn:aws:s3:::assets",
        );
        expect(answer("aws:index/trimIamRolePath:trimIamRolePath", { arn: "arn:aws:iam::123456789012:role/service/ecs/app" }).result).toBe(
            "arn:aws:iam::123456789012:role/app",
        );
        expect(() => answerCall("aws:index/arnParse:arnParse", { arn: "bucket" })).toThrow('`aws:index/arnParse:arnParse` failed: "bucket" is no ARN');
    });

    it("gcp: parts of a self link and a zone's region, as the provider's functions compute them", () => {
        const link = "https://www.googleapis.com/compute/v1/projects/shop-prod/zones/europe-west1-b/instances/vm-1";
        expect(answer("gcp:index/projectFromId:projectFromId", { id: link }).result).toBe("shop-prod");
        expect(answer("gcp:index/zoneFromId:zoneFromId", { id: link }).result).toBe("europe-west1-b");
        expect(answer("gcp:index/nameFromId:nameFromId", { id: link }).result).toBe("vm-1");
        expect(answer("gcp:index/regionFromZone:regionFromZone", { zone: "europe-west1-b" }).result).toBe("europe-west1");
        expect(() => answerCall("gcp:index/regionFromId:regionFromId", { id: link })).toThrow(
            /`gcp:index\/regionFromId:regionFromId` failed: .* has no regions\/<region> segment/,
        );
    });

    it("gcp: the project, the client configuration (no made-up token) and GKE versions by prefix", () => {
        const project = answer("gcp:organizations/getProject:getProject", { projectId: "shop-prod" });
        expect(project.number).toMatch(/^[1-9][0-9]{11}$/);
        expect(project.name).toBe("shop-prod");
        expect(answer("gcp:organizations/getClientConfig:getClientConfig").accessToken).toBe(unknownValue);
        const versions = answer("gcp:container/getEngineVersions:getEngineVersions", { location: "europe-west1", versionPrefix: "1.33." });
        expect(versions.latestMasterVersion).toBe("1.33.5-gke.1308000");
        expect(versions.validMasterVersions).toEqual(["1.33.5-gke.1308000"]);
        expect(versions.releaseChannelDefaultVersion.REGULAR).toMatch(/^1\.\d+\.\d+-gke\.\d+$/);
    });

    it("alicloud: instance types filtered by cores and memory, images by name pattern", () => {
        const types = answer("alicloud:ecs/getInstanceTypes:getInstanceTypes", { cpuCoreCount: 2, memorySize: 8 });
        expect(types.ids).toEqual(["ecs.g7.large"]);
        expect(types.instanceTypes[0]).toMatchObject({ id: "ecs.g7.large", cpuCoreCount: 2, memorySize: 8, family: "ecs.g7" });
        const images = answer("alicloud:ecs/getImages:getImages", { nameRegex: "^ubuntu_24", mostRecent: true, owners: "system" });
        expect(images.ids).toEqual(["ubuntu_24_04_x64_20G_alibase_20261021.vhd"]);
        expect(images.images[0].osType).toBe("linux");
        expect(images.owners).toBe("system");
    });

    it("kubernetes: YAML decodes into its objects, empty documents left out", () => {
        const text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  k: v\n";
        expect(answer("kubernetes:yaml:decode", { text }).result).toEqual([
            { apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } },
            { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b" }, data: { k: "v" } },
        ]);
        expect(() => answerCall("kubernetes:yaml:decode", { text: "a: [" })).toThrow(/`kubernetes:yaml:decode` failed: the YAML does not parse/);
    });
});
