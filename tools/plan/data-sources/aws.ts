import type { DataSourceAnswer } from "./index";

export const offlineAccountId = "123456789012";

const regionOf = (inputs: Record<string, any>) => (inputs.region as string | undefined) ?? "eu-west-1";

/** Renders `aws.iam.getPolicyDocument` the way the provider does: JSON with the statements given. */
function policyDocument(inputs: Record<string, any>): Record<string, unknown> {
    const principals = (list: any[] | undefined) =>
        list && Object.fromEntries(list.map((p) => [p.type, p.identifiers.length === 1 ? p.identifiers[0] : p.identifiers]));
    const conditions = (list: any[] | undefined) => {
        if (!list) return undefined;
        const out: Record<string, Record<string, unknown>> = {};
        for (const c of list) {
            out[c.test] = { ...(out[c.test] ?? {}), [c.variable]: c.values.length === 1 ? c.values[0] : c.values };
        }
        return out;
    };
    const one = (v: string[] | undefined) => (v && v.length === 1 ? v[0] : v);
    const statements = (inputs.statements ?? []).map((s: any) =>
        Object.fromEntries(
            Object.entries({
                Sid: s.sid,
                Effect: s.effect ?? "Allow",
                Action: one(s.actions),
                NotAction: one(s.notActions),
                Resource: one(s.resources),
                NotResource: one(s.notResources),
                Principal: principals(s.principals),
                NotPrincipal: principals(s.notPrincipals),
                Condition: conditions(s.conditions),
            }).filter(([, v]) => v !== undefined),
        ),
    );
    const json = JSON.stringify({ Version: inputs.version ?? "2012-10-17", Statement: statements }, null, 2);
    return { id: String(json.length), json, minifiedJson: JSON.stringify(JSON.parse(json)) };
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

export const aws: Record<string, DataSourceAnswer> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (inputs) => {
        const region = regionOf(inputs);
        const letters = ["a", "b", "c"];
        return {
            id: region,
            names: letters.map((l) => `${region}${l}`),
            zoneIds: letters.map((_, i) => `euw1-az${i + 1}`),
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
    // The account ELB delivers access logs from, per region (ELB documentation); newer regions use the service principal.
    "aws:elb/getServiceAccount:getServiceAccount": (inputs) => {
        const region = regionOf(inputs);
        const account = elbLogAccounts[region] ?? offlineAccountId;
        return { id: account, arn: `arn:aws:iam::${account}:root`, region };
    },
    "aws:ssm/getParameter:getParameter": (inputs) => ({
        id: inputs.name,
        name: inputs.name,
        arn: `arn:aws:ssm:eu-west-1::parameter${inputs.name}`,
        type: "String",
        // The public ECS-optimized AMI parameters answer with an image id.
        value: String(inputs.name).includes("/ecs/optimized-ami/") ? "ami-0ecs0ff1ine0000a1" : `offline-value-of-${inputs.name}`,
        insecureValue: String(inputs.name).includes("/ecs/optimized-ami/") ? "ami-0ecs0ff1ine0000a1" : `offline-value-of-${inputs.name}`,
        version: 1,
        withDecryption: inputs.withDecryption ?? true,
    }),
};
