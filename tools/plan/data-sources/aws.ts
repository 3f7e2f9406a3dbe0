import type { DataSourceAnswer } from "./index";
import { callHash, shapedStandIn } from "./stand-in";
import { policyDocument } from "./aws-policy-document";

export const offlineAccountId = "123456789012";

const regionOf = (inputs: Record<string, any>) => (inputs.region as string | undefined) ?? "eu-west-1";

/** The prefix of a region's zone ids, as AWS forms it: `euw1` for eu-west-1, `apse2` for ap-southeast-2. */
function zoneIdPrefix(region: string): string {
    const [area, direction = "", number = ""] = region.split("-");
    const initials = direction.replace("central", "c").replace("north", "n").replace("south", "s").replace("east", "e").replace("west", "w");
    return `${area}${initials}${number}`;
}

/** The first value a filter of the given name asks for, if any. */
const filterValue = (inputs: Record<string, any>, name: string): string | undefined =>
    (inputs.filters as { name: string; values: string[] }[] | undefined)?.find((f) => f.name === name)?.values?.[0];

/**
 * An image matching the call's filters: its name is the filter's pattern with
 * the wildcard filled by a release date, as Amazon names its images.
 */
function ami(inputs: Record<string, any>): Record<string, unknown> {
    const token = "aws:ec2/getAmi:getAmi";
    const imageId = `ami-0${callHash(token, inputs)}${callHash(`${token}#`, inputs)}`.slice(0, 21);
    const name = (filterValue(inputs, "name") ?? inputs.nameRegex ?? "al2023-ami-*-x86_64").replace(/\*/g, "2023.9.20261110.0");
    const architecture = filterValue(inputs, "architecture") ?? (name.includes("arm64") ? "arm64" : "x86_64");
    const owner = inputs.owners?.[0] === "amazon" || inputs.owners === undefined ? "137112412989" : String(inputs.owners[0]);
    return {
        ...shapedStandIn(token, inputs),
        id: imageId,
        imageId,
        arn: `arn:aws:ec2:${regionOf(inputs)}::image/${imageId}`,
        name,
        description: `Offline stand-in for ${name}`,
        architecture,
        ownerId: owner,
        imageOwnerAlias: owner === "137112412989" ? "amazon" : "",
        imageLocation: `${owner === "137112412989" ? "amazon" : owner}/${name}`,
        imageType: "machine",
        platform: "",
        platformDetails: "Linux/UNIX",
        usageOperation: "RunInstances",
        virtualizationType: "hvm",
        hypervisor: "xen",
        rootDeviceName: "/dev/xvda",
        rootDeviceType: "ebs",
        rootSnapshotId: `snap-0${callHash(`${token}/snap`, inputs)}${callHash(`${token}/snap#`, inputs)}`,
        kernelId: "",
        ramdiskId: "",
        lastLaunchedTime: "",
        enaSupport: true,
        sriovNetSupport: "simple",
        bootMode: "uefi-preferred",
        imdsSupport: "v2.0",
        tpmSupport: "",
        public: true,
        state: "available",
        creationDate: "2026-11-10T00:00:00.000Z",
        deprecationTime: "2028-11-10T00:00:00.000Z",
        region: regionOf(inputs),
        blockDeviceMappings: [
            {
                deviceName: "/dev/xvda",
                ebs: { delete_on_termination: "true", encrypted: "false", volume_size: "8", volume_type: "gp3" },
                noDevice: "",
                virtualName: "",
            },
        ],
        productCodes: [],
        stateReason: { code: "UNSET", message: "UNSET" },
        tags: {},
    };
}

const elbLogAccounts: Record<string, string> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-2": "797873946194",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "eu-central-1": "054676820928",
    "eu-north-1": "897822967062",
};

/** The provider's ARN functions compute locally, so the offline answer is the real one. */
function parseArn(arn: string) {
    const [prefix, partition, service, region, accountId, ...resource] = arn.split(":");
    if (prefix !== "arn" || resource.length === 0) throw new Error(`"${arn}" is no ARN (arn:partition:service:region:account-id:resource)`);
    return { partition, service, region, accountId, resource: resource.join(":") };
}

export const aws: Record<string, DataSourceAnswer> = {
    "aws:index/arnParse:arnParse": (inputs) => parseArn(String(inputs.arn)),
    "aws:index/arnBuild:arnBuild": (inputs) => ({
        result: `arn:${inputs.partition}:${inputs.service}:${inputs.region ?? ""}:${inputs.accountId ?? ""}:${inputs.resource}`,
    }),
    "aws:index/trimIamRolePath:trimIamRolePath": (inputs) => {
        const arn = parseArn(String(inputs.arn));
        if (arn.service !== "iam" || !arn.resource.startsWith("role/")) throw new Error(`"${inputs.arn}" is no IAM role ARN`);
        const name = arn.resource.split("/").pop();
        return { result: `arn:${arn.partition}:iam::${arn.accountId}:role/${name}` };
    },
    "aws:index/getAvailabilityZones:getAvailabilityZones": (inputs) => {
        const region = regionOf(inputs);
        const letters = ["a", "b", "c"];
        return {
            id: region,
            region,
            names: letters.map((l) => `${region}${l}`),
            zoneIds: letters.map((_, i) => `${zoneIdPrefix(region)}-az${i + 1}`),
            groupNames: [region],
            state: "available",
        };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        id: offlineAccountId,
        accountId: offlineAccountId,
        arn: `arn:aws:iam::${offlineAccountId}:user/offline-plan`,
        userId: "AIDAOFFLINEPLAN",
    }),
    "aws:index/getRegion:getRegion": (inputs) => ({
        id: regionOf(inputs),
        name: regionOf(inputs),
        region: regionOf(inputs),
        endpoint: `ec2.${regionOf(inputs)}.amazonaws.com`,
        description: regionOf(inputs),
    }),
    "aws:index/getPartition:getPartition": () => ({ id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" }),
    "aws:iam/getPolicyDocument:getPolicyDocument": policyDocument,
    "aws:ec2/getAmi:getAmi": ami,
    // The account ELB delivers access logs from, per region (ELB documentation); newer regions use the service principal.
    "aws:elb/getServiceAccount:getServiceAccount": (inputs) => {
        const region = regionOf(inputs);
        const account = elbLogAccounts[region] ?? offlineAccountId;
        return { id: account, arn: `arn:aws:iam::${account}:root`, region };
    },
    "aws:ssm/getParameter:getParameter": (inputs) => ({
        id: inputs.name,
        name: inputs.name,
        arn: `arn:aws:ssm:${regionOf(inputs)}:${offlineAccountId}:parameter${inputs.name}`,
        region: regionOf(inputs),
        type: "String",
        // The public ECS-optimized AMI parameters answer with an image id.
        value: String(inputs.name).includes("/ecs/optimized-ami/") ? "ami-0ecs0ff1ine0000a1" : `offline-value-of-${inputs.name}`,
        insecureValue: String(inputs.name).includes("/ecs/optimized-ami/") ? "ami-0ecs0ff1ine0000a1" : `offline-value-of-${inputs.name}`,
        version: 1,
        withDecryption: inputs.withDecryption ?? true,
    }),
};
