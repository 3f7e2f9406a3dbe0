import * as fs from "node:fs";
import type { PolicyInfo } from "pulumi-offline-plan";
import { controlsPage, generatedControlsPage, renderControlsTable, renderPolicyTable } from "./policy-table";
import { baseline, cites, framework } from "../../policies/controls";

const info = (name: string, tags: string[], fw = baseline(name, "Something stays true.")): PolicyInfo => ({
    name,
    displayName: name,
    description: "Checks one thing.",
    enforcementLevel: "mandatory",
    severity: "high",
    framework: fw,
    tags,
    remediationSteps: "",
    url: "",
    configRequired: [],
});

const instance = "aws:ec2/instance:Instance";
const template = "aws:ec2/launchTemplate:LaunchTemplate";
const imds = info("aws-ec2-imdsv2-required", [
    `type:${instance}`,
    `type:${template}`,
    ...cites({ control: "aws-securityhub:EC2.8", types: [instance] }, "checkov:CKV_AWS_79", {
        control: "tfsec:aws-ec2-enforce-launch-config-http-token-imds",
        types: [template, instance],
    }),
]);
const kms = info("aws-kms-key-rotation", ["type:aws:kms/key:Key", ...cites("cis-aws:3.6", "aws-securityhub:KMS.4")], framework("cis-aws:3.6"));
const plain = info("aws-ecs-service-maximum-percent", ["type:aws:ecs/service:Service"]);

test("docs/controls.md matches the pack and the table of controls (run `node --require pulumi-offline-plan/register tools/docs/policy-table.ts`)", async () => {
    const text = fs.readFileSync(controlsPage, "utf8");
    expect(await generatedControlsPage(text)).toBe(text);
}, 60_000);

describe("the policy table's controls column", () => {
    const rowOf = (p: PolicyInfo) => renderPolicyTable([p], {}).split("\n")[2];
    const controlsOf = (p: PolicyInfo) => rowOf(p).split(" | ").at(-1)!.replace(/ \|$/, "");

    test("shows each cited control from the table, linked to the address it was read from, with the types it is cited for", () => {
        expect(controlsOf(imds).split("<br>")).toEqual([
            "Security Hub [EC2.8](https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-8) (`aws:ec2/instance:Instance`)",
            "Checkov [CKV_AWS_79](https://github.com/bridgecrewio/checkov/blob/03d5fdad8d6154b1565799a7b1fb8070c158866f/checkov/terraform/checks/resource/aws/IMDSv1Disabled.py)",
            "tfsec [aws-ec2-enforce-launch-config-http-token-imds](https://github.com/aquasecurity/trivy-checks/blob/80e5382269707262f35cf893bdc0805cb72217e9/checks/cloud/aws/ec2/as_enforce_http_token_imds.rego) (`aws:ec2/launchTemplate:LaunchTemplate`, `aws:ec2/instance:Instance`)",
        ]);
        expect(controlsOf(kms)).toMatch(
            /^CIS AWS 3\.0\.0 \[3\.6\]\(https:\/\/github\.com\/turbot\/steampipe-mod-aws-compliance\/blob\/[0-9a-f]{40}\/cis_v300\/section_3\.pp#L98\)<br>Security Hub \[KMS\.4\]/,
        );
    });

    test("names the baseline where a policy cites no public control", () => {
        expect(controlsOf(plain)).toBe("Multicloud platform baseline 1.0.0");
    });
});

describe("the table of controls", () => {
    const page = renderControlsTable([imds, kms, plain]);
    const row = (id: string) => page.split("\n").find((l) => l.startsWith(`| ${id} |`));

    test("has a section per standard, with its version and where it is published", () => {
        expect(page).toContain("### CIS AWS Foundations Benchmark 3.0.0\n\nPublished at https://www.cisecurity.org/benchmark/amazon_web_services.");
        expect(page).toContain("### AWS Security Hub CSPM controls latest");
        expect(page).toContain("### Kubernetes Pod Security Standards, Restricted latest");
    });

    test("gives each control's title as its source states it, who cites it for which types, and its source", () => {
        expect(row("EC2.8")).toBe(
            "| EC2.8 | EC2 instances should use Instance Metadata Service Version 2 (IMDSv2) | `aws-ec2-imdsv2-required` (`aws:ec2/instance:Instance`) | [source](https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-8) |",
        );
        expect(row("3.6")).toContain("| Ensure rotation for customer-created symmetric CMKs is enabled | `aws-kms-key-rotation` |");
        expect(row("aws-ec2-enforce-launch-config-http-token-imds (AVD-AWS-0130)")).toContain(
            "`aws-ec2-imdsv2-required` (`aws:ec2/launchTemplate:LaunchTemplate`, `aws:ec2/instance:Instance`)",
        );
    });

    test("lists a control no policy given cites with an empty cited-by cell, so a stale entry shows", () => {
        expect(row("CKV_AWS_7")).toMatch(/^\| CKV_AWS_7 \| Ensure rotation for customer created CMKs is enabled \|  \| \[source\]/);
    });
});
