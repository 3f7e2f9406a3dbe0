import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import type { Cloud, Environment, StorageHandle } from "../contracts";

/** Filestore tiers and the smallest capacity (GiB) each accepts. */
export const filestoreTiers = { BASIC_HDD: 1024, BASIC_SSD: 2560, ZONAL: 1024, REGIONAL: 1024, ENTERPRISE: 1024 } as const;
export type FilestoreTier = keyof typeof filestoreTiers;
const zonalTiers: FilestoreTier[] = ["BASIC_HDD", "BASIC_SSD", "ZONAL"];

export interface SharedStorageArgs {
    environment: Environment;
    region: string;
    network: { networkId: pulumi.Input<string>; privateCidrs: string[]; zones: pulumi.Input<string[]> };
    /** Capacity in GiB; at least the tier's minimum. */
    sizeGib?: number;
    /** BASIC_HDD in dev, REGIONAL (replicated across zones) in prod unless set. */
    tier?: FilestoreTier;
    /** Ranges that may mount the share; the network's private ranges when unset. */
    clientCidrs?: string[];
    /** Days a prod backup is kept (and cannot be deleted early). */
    backupRetentionDays?: number;
}

/** A resource id GCP accepts ([a-z][a-z0-9-]{0,62}). */
function resourceId(name: string): string {
    const id = name
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .replace(/^[^a-z]+/, "");
    return (id || "fs").slice(0, 63).replace(/-+$/, "");
}

/**
 * A Filestore instance on the workload's network. Filestore always encrypts at
 * rest (Google-managed keys; a transformation sets the instance's `kmsKeyName` for a key of ours);
 * the share exports read-write only to the given private ranges, never more.
 * In prod the instance is protected (Pulumi `protect` and Filestore deletion
 * protection) and backed up on a schedule by Backup and DR: a daily backup plan
 * writing to a backup vault whose minimum enforced retention makes each backup
 * undeletable for `backupRetentionDays`.
 */
export class SharedStorage extends pulumi.ComponentResource implements StorageHandle {
    readonly cloud: Cloud = "gcp";
    readonly instance: gcp.filestore.Instance;
    readonly backupVault?: gcp.backupdisasterrecovery.BackupVault;
    readonly backupPlan?: gcp.backupdisasterrecovery.BackupPlan;
    readonly backupPlanAssociation?: gcp.backupdisasterrecovery.BackupPlanAssociation;
    readonly fileSystemId: pulumi.Output<string>;
    readonly shareName = "shared";
    /** The share's capacity, which a Kubernetes PersistentVolume over it declares. */
    readonly capacityGib: number;
    /** The address clients mount `<host>:/<shareName>` from. */
    readonly host: pulumi.Output<string>;

    constructor(name: string, args: SharedStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:gcp:SharedStorage", name, {}, opts);
        const prod = args.environment === "prod";
        const tier: FilestoreTier = args.tier ?? (prod ? "REGIONAL" : "BASIC_HDD");
        if (!(tier in filestoreTiers)) {
            throw new Error(`SharedStorage: \`tier\` must be one of ${Object.keys(filestoreTiers).join(", ")}, got "${tier}".`);
        }
        const sizeGib = args.sizeGib ?? filestoreTiers[tier];
        if (!Number.isInteger(sizeGib) || sizeGib < filestoreTiers[tier]) {
            throw new Error(`SharedStorage: \`sizeGib\` must be a whole number of at least ${filestoreTiers[tier]} for tier ${tier}, got ${sizeGib}.`);
        }
        const clientCidrs = args.clientCidrs ?? args.network.privateCidrs;
        if (clientCidrs.length === 0 || clientCidrs.some((c) => c === "0.0.0.0/0" || c === "::/0")) {
            throw new Error(`SharedStorage: \`clientCidrs\` must list private ranges and never the internet, got [${clientCidrs.join(", ")}].`);
        }
        const retentionDays = args.backupRetentionDays ?? 30;
        if (!Number.isInteger(retentionDays) || retentionDays < 1) {
            throw new Error(`SharedStorage: \`backupRetentionDays\` must be a whole number >= 1, got ${retentionDays}.`);
        }

        this.capacityGib = sizeGib;
        const location = zonalTiers.includes(tier) ? pulumi.output(args.network.zones).apply((zones) => zones[0]) : pulumi.output(args.region);
        this.instance = new gcp.filestore.Instance(
            `${name}-filestore`,
            {
                location,
                tier,
                fileShares: {
                    name: this.shareName,
                    capacityGb: sizeGib,
                    nfsExportOptions: [{ ipRanges: clientCidrs, accessMode: "READ_WRITE", squashMode: "ROOT_SQUASH", anonUid: 65534, anonGid: 65534 }],
                },
                networks: [{ network: args.network.networkId, modes: ["MODE_IPV4"], connectMode: "DIRECT_PEERING" }],
                deletionProtectionEnabled: prod,
                deletionProtectionReason: prod ? "Shared files of a prod workload" : undefined,
            },
            { parent: this, protect: prod },
        );

        if (prod) {
            this.backupVault = new gcp.backupdisasterrecovery.BackupVault(
                `${name}-vault`,
                {
                    location: args.region,
                    backupVaultId: resourceId(`${name}-vault`),
                    backupMinimumEnforcedRetentionDuration: `${retentionDays * 86400}s`,
                },
                { parent: this, protect: true },
            );
            this.backupPlan = new gcp.backupdisasterrecovery.BackupPlan(
                `${name}-plan`,
                {
                    location: args.region,
                    backupPlanId: resourceId(`${name}-plan`),
                    resourceType: "file.googleapis.com/Instance",
                    backupVault: this.backupVault.id,
                    backupRules: [
                        {
                            ruleId: "daily",
                            backupRetentionDays: retentionDays,
                            standardSchedule: { recurrenceType: "DAILY", timeZone: "UTC", backupWindow: { startHourOfDay: 1, endHourOfDay: 5 } },
                        },
                    ],
                },
                { parent: this, protect: true },
            );
            this.backupPlanAssociation = new gcp.backupdisasterrecovery.BackupPlanAssociation(
                `${name}-backup`,
                {
                    location: args.region,
                    backupPlanAssociationId: resourceId(`${name}-backup`),
                    resourceType: "file.googleapis.com/Instance",
                    resource: this.instance.id,
                    backupPlan: this.backupPlan.name,
                },
                { parent: this },
            );
        }

        this.fileSystemId = this.instance.id;
        this.host = this.instance.networks.apply((networks) => networks?.[0]?.ipAddresses?.[0] ?? "");
        this.registerOutputs({ fileSystemId: this.fileSystemId, host: this.host });
    }
}
