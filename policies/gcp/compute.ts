import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { InstanceArgs, InstanceTemplateArgs, RegionInstanceTemplateArgs } from "@pulumi/gcp/compute";
import { validateTyped } from "../typed";
import { baseline, cites } from "../controls";

/** Resources that launch VMs from the same shape of arguments. */
const vmTypes = ["gcp:compute/instanceTemplate:InstanceTemplate", "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate", "gcp:compute/instance:Instance"];
type VmArgs = InstanceTemplateArgs | RegionInstanceTemplateArgs | InstanceArgs;
const vmTags = vmTypes.map((t) => `type:${t}`);
const instance = "gcp:compute/instance:Instance";
// CIS recommendations and Trivy's compute rules judge instances; Checkov also judges instance templates, not regional ones.
const checkovVmTypes = [instance, "gcp:compute/instanceTemplate:InstanceTemplate"];

export const gcpVmNoExternalIp: ResourceValidationPolicy = {
    name: "gcp-vm-no-external-ip",
    description:
        "GCP VMs and instance templates must not have an external IP: leave `accessConfigs` and `ipv6AccessConfigs` out of every network interface and reach the internet through Cloud NAT.",
    severity: "high",
    framework: baseline("gcp-vm-no-external-ip", "Compute instances do not have public IP addresses."),
    remediationSteps: "Remove `accessConfigs` / `ipv6AccessConfigs` from `networkInterfaces`; use Cloud NAT for egress and a load balancer or IAP for ingress.",
    url: "https://cloud.google.com/compute/docs/ip-addresses/reserve-static-external-ip-address#disableexternalip",
    tags: [
        "gcp",
        "compute",
        "network",
        ...vmTags,
        ...cites(
            { control: "cis-gcp:4.9", types: [instance] },
            { control: "checkov:CKV_GCP_40", types: checkovVmTypes },
            { control: "tfsec:google-compute-no-public-ip", types: [instance] },
        ),
    ],
    validateResource: validateTyped<VmArgs>(vmTypes, (props, _args, reportViolation) => {
        (props.networkInterfaces ?? []).forEach((nic, i) => {
            if ((nic.accessConfigs ?? []).length > 0) reportViolation(`Network interface ${i} has an external IPv4 address (accessConfigs).`);
            if ((nic.ipv6AccessConfigs ?? []).length > 0) reportViolation(`Network interface ${i} has an external IPv6 address (ipv6AccessConfigs).`);
        });
    }),
};

export const gcpVmShielded: ResourceValidationPolicy = {
    name: "gcp-vm-shielded",
    description:
        "GCP VMs and instance templates must run as Shielded VMs: `shieldedInstanceConfig` with `enableSecureBoot: true` (off by default) and vTPM and integrity monitoring not turned off.",
    severity: "medium",
    framework: baseline("gcp-vm-shielded", "Compute instances are launched with Shielded VM enabled."),
    remediationSteps:
        "Set `shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true }` and use a Shielded-VM-capable image.",
    url: "https://cloud.google.com/compute/shielded-vm/docs/shielded-vm",
    tags: [
        "gcp",
        "compute",
        ...vmTags,
        ...cites(
            { control: "cis-gcp:4.8", types: [instance] },
            { control: "checkov:CKV_GCP_39", types: checkovVmTypes },
            { control: "tfsec:google-compute-enable-shielded-vm-vtpm", types: [instance] },
            { control: "tfsec:google-compute-enable-shielded-vm-im", types: [instance] },
        ),
    ],
    validateResource: validateTyped<VmArgs>(vmTypes, (props, _args, reportViolation) => {
        const shielded = props.shieldedInstanceConfig ?? {};
        const off = [
            shielded.enableSecureBoot !== true ? "secure boot" : undefined,
            shielded.enableVtpm === false ? "vTPM" : undefined,
            shielded.enableIntegrityMonitoring === false ? "integrity monitoring" : undefined,
        ].filter(Boolean);
        if (off.length > 0) reportViolation(`Shielded VM is incomplete: ${off.join(", ")} off.`);
    }),
};

export const gcpVmOsLogin: ResourceValidationPolicy = {
    name: "gcp-vm-os-login",
    description: 'GCP VMs and instance templates must enforce OS Login: set metadata `enable-oslogin: "TRUE"` so SSH access follows IAM, not keys in metadata.',
    severity: "medium",
    framework: baseline("gcp-vm-os-login", "OS Login is enabled on every instance."),
    remediationSteps: 'Add `metadata: { "enable-oslogin": "TRUE" }` (and `"block-project-ssh-keys": "TRUE"`) to the instance or template.',
    url: "https://cloud.google.com/compute/docs/oslogin/set-up-oslogin",
    // CIS GCP 4.4 asks for OS Login in the project's metadata, which this policy does not judge.
    tags: [
        "gcp",
        "compute",
        "identity",
        ...vmTags,
        ...cites({ control: "checkov:CKV_GCP_34", types: checkovVmTypes }, { control: "tfsec:google-compute-no-oslogin-override", types: [instance] }),
    ],
    validateResource: validateTyped<VmArgs>(vmTypes, (props, _args, reportViolation) => {
        const value = props.metadata?.["enable-oslogin"];
        if (!/^(true|1|yes)$/i.test((value ?? "").trim())) reportViolation("OS Login is not enforced: metadata `enable-oslogin` is not TRUE.");
    }),
};

const fullScopes = new Set(["cloud-platform", "https://www.googleapis.com/auth/cloud-platform"]);

export const gcpVmNoDefaultServiceAccountFullScopes: ResourceValidationPolicy = {
    name: "gcp-vm-no-default-service-account-full-scopes",
    description:
        "GCP VMs and instance templates must not run as the Compute Engine default service account with the cloud-platform scope: give them a dedicated service account with only the roles they need.",
    severity: "high",
    framework: baseline(
        "gcp-vm-no-default-service-account-full-scopes",
        "Instances do not use the default service account with full access to all Cloud APIs.",
    ),
    remediationSteps:
        'Create a gcp.serviceaccount.Account for the workload, grant it narrow roles and set `serviceAccount: { email: account.email, scopes: ["cloud-platform"] }`.',
    url: "https://cloud.google.com/compute/docs/access/service-accounts#default_service_account",
    // Checkov's CKV_GCP_30 and tfsec's google-compute-no-default-service-account refuse the default account with any scope; this policy refuses it with full scope only.
    tags: [
        "gcp",
        "compute",
        "identity",
        ...vmTags,
        ...cites({ control: "cis-gcp:4.2", types: [instance] }, { control: "checkov:CKV_GCP_31", types: checkovVmTypes }),
    ],
    validateResource: validateTyped<VmArgs>(vmTypes, (props, _args, reportViolation) => {
        const account = props.serviceAccount;
        if (!account) return; // No service account attached at all.
        if (!(account.scopes ?? []).some((s: unknown) => fullScopes.has(String(s)))) return;
        // No email means the default account; an unknown email (a new account's) is not judged.
        const isDefault =
            !("email" in account) ||
            account.email === undefined ||
            account.email.endsWith("-compute@developer.gserviceaccount.com") ||
            account.email === "default";
        if (isDefault) reportViolation("The VM runs as the Compute Engine default service account with the cloud-platform scope.");
    }),
};
