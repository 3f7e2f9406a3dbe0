/**
 * The pack's citations against the table of controls (controls.ts), read from the
 * running pack through the analyzer as the CLI reads them: every cited id is in the
 * table, every framework is a cited control or the baseline, and a control cited
 * for some types names types the policy judges.
 */
import { usePackPolicies } from "../test/helpers/policy";
import type { PolicyInfo } from "pulumi-offline-plan";
import { baselineName, baselineVersion, citationOf, cites, controlOf, controls, framework, standards, type ControlId } from "./controls";

const packPolicies = usePackPolicies();

const policy = (name: string) => packPolicies().find((p) => p.name === name)!;
const citationsOf = (p: PolicyInfo) => p.tags.map(citationOf).filter((c) => c !== undefined);
/** A policy's cited keys, with the type a control is cited for ("key@type"). */
const citedBy = (name: string) => citationsOf(policy(name)).map((c) => (c.type ? `${c.key}@${c.type}` : c.key));

describe("the table", () => {
    test("holds each control once, with a title and the https address it was read from", () => {
        expect(controls.length).toBeGreaterThan(100);
        expect(new Set(controls.map((c) => c.key)).size).toBe(controls.length);
        const malformed = controls.filter((c) => !c.title.trim() || !/^https:\/\/\S+$/.test(c.source) || c.key !== `${c.standard}:${c.id}`);
        expect(malformed).toEqual([]);
    });

    test("addresses in GitHub repositories are pinned to a commit, so what was read stays readable", () => {
        const unpinned = controls.filter((c) => c.source.startsWith("https://github.com/") && !/\/blob\/[0-9a-f]{40}\//.test(c.source));
        expect(unpinned).toEqual([]);
    });

    test("every control it holds is cited by a policy of the pack", () => {
        const cited = new Set(packPolicies().flatMap((p) => citationsOf(p).map((c) => c.key)));
        expect(controls.filter((c) => !cited.has(c.key)).map((c) => c.key)).toEqual([]);
    });
});

describe("the pack's citations", () => {
    test("every id a policy cites is in the table", () => {
        const unknown = packPolicies().flatMap((p) =>
            citationsOf(p)
                .filter((c) => !c.control)
                .map((c) => `${p.name}: ${c.key}`),
        );
        expect(packPolicies().length).toBeGreaterThan(60);
        expect(unknown).toEqual([]);
    });

    test("a tag that names no type is a citation of the table: no id escapes it under a prefix of its own", () => {
        const stray = packPolicies().flatMap((p) =>
            p.tags.filter((t) => t.includes(":") && !/^types?:/.test(t) && !citationOf(t)).map((t) => `${p.name}: ${t}`),
        );
        expect(stray).toEqual([]);
    });

    test("every framework is a control the policy cites for all its types, or the baseline under the policy's own name", () => {
        const wrong = packPolicies().filter((p) => {
            const fw = p.framework!;
            if (fw.name === baselineName) return fw.version !== baselineVersion || fw.reference !== p.name || !fw.specification;
            const cited = citationsOf(p).filter((c) => !c.type && c.control);
            return !cited.some((c) => JSON.stringify(framework(c.key as ControlId)) === JSON.stringify(fw));
        });
        expect(packPolicies().every((p) => p.framework)).toBe(true);
        expect(wrong.map((p) => [p.name, p.framework])).toEqual([]);
    });

    test("a control cited for some types names types the policy judges", () => {
        const strays = packPolicies().flatMap((p) => {
            const judged = new Set(p.tags.filter((t) => t.startsWith("type:")).map((t) => t.slice("type:".length)));
            return citationsOf(p)
                .filter((c) => c.type !== undefined && !judged.has(c.type))
                .map((c) => `${p.name}: ${c.key}@${c.type}`);
        });
        expect(strays).toEqual([]);
    });

    test("no policy claims a standard the table does not name (such as FSBP for a control FSBP does not list)", () => {
        const names = new Set<string>([baselineName, ...Object.values(standards).map((s) => s.name)]);
        expect(
            packPolicies()
                .filter((p) => !names.has(p.framework!.name))
                .map((p) => p.name),
        ).toEqual([]);
        expect(
            packPolicies()
                .filter((p) => /Foundational Security Best Practices/.test(p.framework!.name))
                .map((p) => p.name),
        ).toEqual([]);
    });
});

describe("corrected mappings", () => {
    test("GKE: ABAC is tfsec's google-gke-use-rbac-permissions (AVD-GCP-0062), shielded nodes google-gke-node-shielding-enabled (AVD-GCP-0055)", () => {
        expect(citedBy("gcp-gke-no-legacy-abac")).toEqual(["checkov:CKV_GCP_7", "tfsec:google-gke-use-rbac-permissions"]);
        expect(citedBy("gcp-gke-shielded-nodes")).toEqual(["checkov:CKV_GCP_71", "tfsec:google-gke-node-shielding-enabled"]);
        expect(controlOf("tfsec:google-gke-use-rbac-permissions")?.alias).toBe("AVD-GCP-0062");
        expect(controlOf("tfsec:google-gke-node-shielding-enabled")?.alias).toBe("AVD-GCP-0055");
        expect(
            packPolicies()
                .flatMap((p) => p.tags)
                .filter((t) => /google-gke-(no-legacy-authentication|enable-shielded-nodes)/.test(t)),
        ).toEqual([]);
    });

    test("CloudWatch.16, EC2.13, EC2.14 and KMS.4 are cited as Security Hub controls, with no standard claimed for them", () => {
        expect(citedBy("aws-cloudwatch-log-group-retention")).toContain("aws-securityhub:CloudWatch.16");
        expect(citedBy("aws-security-group-no-admin-ports-from-internet")).toEqual(
            expect.arrayContaining(["aws-securityhub:EC2.13", "aws-securityhub:EC2.14"]),
        );
        expect(citedBy("aws-kms-key-rotation")).toContain("aws-securityhub:KMS.4");
        expect(policy("aws-cloudwatch-log-group-retention").framework).toEqual({
            name: "AWS Security Hub CSPM controls",
            version: "latest",
            reference: "CloudWatch.16",
            specification: "CloudWatch log groups should be retained for a specified time period",
        });
    });

    test("the SSL policy cites CIS GCP 3.9 for every type it judges; Checkov's and tfsec's rules for the global SSL policy only", () => {
        expect(policy("gcp-ssl-policy-tls12").framework?.reference).toBe("3.9");
        expect(citedBy("gcp-ssl-policy-tls12")).toEqual([
            "cis-gcp:3.9",
            "checkov:CKV_GCP_4@gcp:compute/sSLPolicy:SSLPolicy",
            "tfsec:google-compute-use-secure-tls-policy@gcp:compute/sSLPolicy:SSLPolicy",
        ]);
    });

    test("not-publicly-accessible: each type cites its own control, RDS.2 only the RDS DB instance; the policy itself maps to the baseline", () => {
        expect(citedBy("not-publicly-accessible")).toEqual([
            "aws-securityhub:RDS.2@aws:rds/instance:Instance",
            "aws-securityhub:DMS.1@aws:dms/replicationInstance:ReplicationInstance",
            "aws-securityhub:Redshift.1@aws:redshift/cluster:Cluster",
            "aws-securityhub:RedshiftServerless.3@aws:redshiftserverless/workgroup:Workgroup",
            "checkov:CKV_AWS_17@aws:rds/instance:Instance",
            "checkov:CKV_AWS_17@aws:rds/clusterInstance:ClusterInstance",
            "checkov:CKV_AWS_69@aws:mq/broker:Broker",
        ]);
        expect(policy("not-publicly-accessible").framework).toMatchObject({ name: baselineName, reference: "not-publicly-accessible" });
        expect(policy("not-publicly-accessible").tags.filter((t) => t.startsWith("type:"))).toHaveLength(13);
    });

    test("IMDSv2 and public IPs: instances, launch templates and launch configurations each cite their own Security Hub control", () => {
        expect(citedBy("aws-ec2-imdsv2-required")).toEqual(
            expect.arrayContaining([
                "aws-securityhub:EC2.8@aws:ec2/instance:Instance",
                "aws-securityhub:EC2.170@aws:ec2/launchTemplate:LaunchTemplate",
                "aws-securityhub:AutoScaling.3@aws:ec2/launchConfiguration:LaunchConfiguration",
                "cis-aws:5.6@aws:ec2/instance:Instance",
            ]),
        );
        expect(citedBy("aws-ec2-no-public-ip")).toEqual(
            expect.arrayContaining([
                "aws-securityhub:EC2.25@aws:ec2/launchTemplate:LaunchTemplate",
                "aws-securityhub:Autoscaling.5@aws:ec2/launchConfiguration:LaunchConfiguration",
            ]),
        );
        expect(citedBy("aws-ec2-no-public-ip").filter((k) => k.startsWith("aws-securityhub:EC2.9"))).toEqual([]);
    });

    test("the host-namespace policy, which also refuses host ports, cites PSS Host Ports", () => {
        expect(citedBy("k8s-no-host-namespaces")).toEqual(expect.arrayContaining(["pss-baseline:Host Namespaces", "pss-baseline:Host Ports"]));
    });

    test("controls a policy checks less than are not cited", () => {
        // CIS GCP 4.4 asks for OS Login in project metadata; CKV_GCP_30 and google-compute-no-default-service-account refuse the default account with any scope;
        // CKV_K8S_31 refuses Localhost seccomp profiles; aws-elb-use-secure-tls-policy refuses TLS 1.2 policies this pack admits; EFS.2 asks for a backup plan.
        expect(citedBy("gcp-vm-os-login").filter((k) => k.startsWith("cis-gcp:4.4"))).toEqual([]);
        expect(citedBy("gcp-vm-no-default-service-account-full-scopes").filter((k) => /CKV_GCP_30|no-default-service-account/.test(k))).toEqual([]);
        expect(citedBy("k8s-seccomp-runtime-default").filter((k) => k.includes("CKV_K8S_31"))).toEqual([]);
        expect(citedBy("aws-lb-listener-tls-1-2")).toEqual(["checkov:CKV_AWS_103"]);
        expect(citedBy("aws-efs-backup-not-disabled")).toEqual([]);
        expect(citedBy("gcp-firewall-no-internet-admin-ports").filter((k) => k.includes("no-public-ingress"))).toEqual([]);
    });

    test("Alibaba Cloud policies cite the CIS Alibaba Cloud Foundation Benchmark where a recommendation fits, the baseline otherwise", () => {
        const alicloud = packPolicies().filter((p) => p.name.startsWith("alicloud-"));
        expect(alicloud).toHaveLength(14);
        expect(policy("alicloud-security-group-no-admin-ports-from-internet").framework).toMatchObject({
            name: "CIS Alibaba Cloud Foundation Benchmark",
            version: "2.0.0",
            reference: "4.3",
        });
        expect(citedBy("alicloud-security-group-no-admin-ports-from-internet")).toEqual(["cis-alicloud:4.3", "cis-alicloud:4.4", "cis-alicloud:3.2"]);
        expect(policy("alicloud-ack-api-not-public").framework?.reference).toBe("7.9");
        expect(citedBy("alicloud-instance-disks-encrypted")).toEqual(["cis-alicloud:4.2@alicloud:ecs/instance:Instance"]);
        const unmapped = alicloud.filter((p) => citationsOf(p).length === 0);
        expect(unmapped.every((p) => p.framework?.name === baselineName && p.framework.reference === p.name)).toBe(true);
    });

    test("the baseline has one version, and every policy that maps to it is its reference", () => {
        const onBaseline = packPolicies().filter((p) => p.framework?.name === baselineName);
        expect(onBaseline.length).toBeGreaterThan(30);
        expect(new Set(onBaseline.map((p) => p.framework!.version))).toEqual(new Set([baselineVersion]));
        expect(onBaseline.filter((p) => p.framework!.reference !== p.name)).toEqual([]);
    });
});

describe("citation tags", () => {
    test("a control cited for some types gets one tag per type, and reads back", () => {
        const tags = cites("cis-aws:5.6", {
            control: "aws-securityhub:EC2.8",
            types: ["aws:ec2/instance:Instance", "aws:ec2/spotInstanceRequest:SpotInstanceRequest"],
        });
        expect(tags).toEqual([
            "cis-aws:5.6",
            "aws-securityhub:EC2.8@aws:ec2/instance:Instance",
            "aws-securityhub:EC2.8@aws:ec2/spotInstanceRequest:SpotInstanceRequest",
        ]);
        expect(citationOf(tags[1])).toMatchObject({
            key: "aws-securityhub:EC2.8",
            standard: "aws-securityhub",
            type: "aws:ec2/instance:Instance",
            control: { id: "EC2.8" },
        });
        expect(citationOf("pss-baseline:Host Ports")).toMatchObject({ key: "pss-baseline:Host Ports", type: undefined, control: { id: "Host Ports" } });
    });

    test("a tag under a standard's prefix but not in the table reads back without a control; other tags are not citations", () => {
        expect(citationOf("checkov:CKV_AWS_99999")).toMatchObject({ key: "checkov:CKV_AWS_99999", control: undefined });
        expect(citationOf("type:aws:ec2/instance:Instance")).toBeUndefined();
        expect(citationOf("fsbp:EC2.8")).toBeUndefined();
        expect(citationOf("encryption")).toBeUndefined();
    });

    test("a framework takes its name and version from the standard and its specification from the control's title", () => {
        expect(framework("cis-gcp:3.9")).toEqual({
            name: "CIS Google Cloud Platform Foundation Benchmark",
            version: "2.0.0",
            reference: "3.9",
            specification: "Ensure no HTTPS or SSL proxy load balancers permit SSL policies with weak cipher suites",
        });
    });
});
