import type { DataSourceAnswer } from "./index";
import type { ProviderSettings } from "./provider-settings";
import { callHash, shapedStandIn } from "./stand-in";
import { policyDocument } from "./aws-policy-document";

export const offlineAccountId = "123456789012";

/**
 * The region a call answers for: the call's own `region` argument, else its
 * provider's, else the environment's (as the provider reads AWS_REGION), else a
 * stand-in.
 */
const regionOf = (inputs: Record<string, unknown>, provider: ProviderSettings): string =>
    (inputs.region as string | undefined) ?? provider.setting("region", ["AWS_REGION", "AWS_DEFAULT_REGION"], "the region", "eu-west-1");

/** The partition a region belongs to, and its DNS suffix, as AWS lists them. */
function partitionOf(region: string): { partition: string; dnsSuffix: string; reverseDnsPrefix: string } {
    if (region.startsWith("cn-")) return { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn", reverseDnsPrefix: "cn.com.amazonaws" };
    if (region.startsWith("us-gov-")) return { partition: "aws-us-gov", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
    if (region.startsWith("us-isob-")) return { partition: "aws-iso-b", dnsSuffix: "sc2s.sgov.gov", reverseDnsPrefix: "gov.sgov.sc2s" };
    if (region.startsWith("us-iso-")) return { partition: "aws-iso", dnsSuffix: "c2s.ic.gov", reverseDnsPrefix: "gov.ic.c2s" };
    if (region.startsWith("eusc-")) return { partition: "aws-eusc", dnsSuffix: "amazonaws.eu", reverseDnsPrefix: "eu.amazonaws" };
    return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
}

/** The role the provider assumes, if it assumes one (`assumeRoles`, or the older `assumeRole`). */
function assumedRole(provider: ProviderSettings): string | undefined {
    const roles = provider.value("assumeRoles") ?? provider.value("assumeRole");
    const first = (Array.isArray(roles) ? roles[0] : roles) as { roleArn?: unknown } | undefined;
    return typeof first?.roleArn === "string" && first.roleArn ? first.roleArn : undefined;
}

/**
 * The account the provider works in, when its configuration names it: the one
 * account it is allowed, or the account of the role it assumes. Otherwise only
 * the credentials know it: a stand-in.
 */
function accountOf(provider: ProviderSettings): string {
    const allowed = provider.value("allowedAccountIds");
    if (Array.isArray(allowed) && allowed.length === 1) return String(allowed[0]);
    const role = assumedRole(provider);
    if (role) return role.split(":")[4];
    const where = provider.config.explicit ? `provider ${provider.config.explicit}` : "the stack";
    provider.standIn(`the account id (${where} names no single allowedAccountIds and assumes no role: the credentials decide)`);
    return offlineAccountId;
}

/** The prefix of a region's zone ids, as AWS forms it: `euw1` for eu-west-1, `apse2` for ap-southeast-2. */
function zoneIdPrefix(region: string): string {
    const [area, direction = "", number = ""] = region.split("-");
    const initials = direction.replace("central", "c").replace("north", "n").replace("south", "s").replace("east", "e").replace("west", "w");
    return `${area}${initials}${number}`;
}

/** The first value a filter of the given name asks for, if any. */
const filterValue = (inputs: Record<string, unknown>, name: string): string | undefined =>
    (inputs.filters as { name: string; values: string[] }[] | undefined)?.find((f) => f.name === name)?.values?.[0];

/**
 * An image matching the call's filters: its name is the filter's pattern with
 * the wildcard filled by a release date, as Amazon names its images.
 */
function ami(inputs: Record<string, unknown>, provider: ProviderSettings): Record<string, unknown> {
    const token = "aws:ec2/getAmi:getAmi";
    const imageId = `ami-0${callHash(token, inputs)}${callHash(`${token}#`, inputs)}`.slice(0, 21);
    const nameRegex = typeof inputs.nameRegex === "string" ? inputs.nameRegex : undefined;
    const name = (filterValue(inputs, "name") ?? nameRegex ?? "al2023-ami-*-x86_64").replace(/\*/g, "2023.9.20261110.0");
    const architecture = filterValue(inputs, "architecture") ?? (name.includes("arm64") ? "arm64" : "x86_64");
    const owners = inputs.owners as unknown[] | undefined;
    const owner = owners === undefined || owners[0] === "amazon" ? "137112412989" : String(owners[0]);
    provider.standIn("the image id and its release (which image matches is known only to EC2)");
    return {
        ...shapedStandIn(token, inputs),
        id: imageId,
        imageId,
        arn: `arn:${partitionOf(regionOf(inputs, provider)).partition}:ec2:${regionOf(inputs, provider)}::image/${imageId}`,
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
        region: regionOf(inputs, provider),
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
    "aws:index/arnBuild:arnBuild": (inputs) => {
        // The function's arguments as the SDK declares them (ArnBuildArgs).
        const {
            partition,
            service,
            region = "",
            accountId = "",
            resource,
        } = inputs as { partition: string; service: string; region?: string; accountId?: string; resource: string };
        return { result: `arn:${partition}:${service}:${region}:${accountId}:${resource}` };
    },
    "aws:index/trimIamRolePath:trimIamRolePath": (inputs) => {
        const given = String(inputs.arn);
        const arn = parseArn(given);
        if (arn.service !== "iam" || !arn.resource.startsWith("role/")) throw new Error(`"${given}" is no IAM role ARN`);
        const name = arn.resource.split("/").pop();
        return { result: `arn:${arn.partition}:iam::${arn.accountId}:role/${name}` };
    },
    "aws:index/getAvailabilityZones:getAvailabilityZones": (inputs, provider) => {
        const region = regionOf(inputs, provider);
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
    "aws:index/getCallerIdentity:getCallerIdentity": (inputs, provider) => {
        const { partition } = partitionOf(regionOf(inputs, provider));
        const account = accountOf(provider);
        const role = assumedRole(provider);
        // Who runs the plan is never known offline: the caller is named for what it is.
        provider.standIn("the caller's ARN and user id (the credentials decide)");
        const roleName = role?.split("/").pop();
        return {
            id: account,
            accountId: account,
            arn: roleName ? `arn:${partition}:sts::${account}:assumed-role/${roleName}/offline-plan` : `arn:${partition}:iam::${account}:user/offline-plan`,
            userId: roleName ? "AROAOFFLINEPLAN:offline-plan" : "AIDAOFFLINEPLAN",
        };
    },
    "aws:index/getRegion:getRegion": (inputs, provider) => {
        const region = regionOf(inputs, provider);
        return { id: region, name: region, region, endpoint: `ec2.${region}.${partitionOf(region).dnsSuffix}`, description: region };
    },
    "aws:index/getPartition:getPartition": (inputs, provider) => {
        const partition = partitionOf(regionOf(inputs, provider));
        return { id: partition.partition, ...partition };
    },
    "aws:iam/getPolicyDocument:getPolicyDocument": policyDocument,
    "aws:ec2/getAmi:getAmi": ami,
    // The account ELB delivers access logs from, per region (ELB documentation); newer regions use the service principal.
    "aws:elb/getServiceAccount:getServiceAccount": (inputs, provider) => {
        const region = regionOf(inputs, provider);
        const account = elbLogAccounts[region];
        if (!account) provider.standIn(`the ELB log delivery account of ${region} (not in the offline table)`);
        return { id: account ?? offlineAccountId, arn: `arn:${partitionOf(region).partition}:iam::${account ?? offlineAccountId}:root`, region };
    },
    "aws:ssm/getParameter:getParameter": (inputs, provider) => {
        const region = regionOf(inputs, provider);
        provider.standIn("the parameter's value (only the parameter store knows it)");
        // The public ECS-optimized AMI parameters answer with an image id.
        const name = String(inputs.name);
        const value = name.includes("/ecs/optimized-ami/") ? "ami-0ecs0ff1ine0000a1" : `offline-value-of-${name}`;
        return {
            id: name,
            name,
            arn: `arn:${partitionOf(region).partition}:ssm:${region}:${accountOf(provider)}:parameter${name}`,
            region,
            type: "String",
            value,
            insecureValue: value,
            version: 1,
            withDecryption: inputs.withDecryption ?? true,
        };
    },
};
