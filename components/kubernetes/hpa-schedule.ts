import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { scheduleInstant, type CapacitySchedule } from "../contracts";
import { validateSchedules } from "../core/validate";
import { restrictedContainerSecurity } from "./isolated-namespace";

/** kubectl from the Kubernetes project, pinned by digest; it has no shell, so the job runs kubectl alone. */
export const defaultKubectlImage = "registry.k8s.io/kubectl:v1.31.2@sha256:d31de5468fb5c0943358671e3dcf8e4d8281108027efd1f211262d09aedd5519";

/** The field manager the jobs patch as: the owner of `minReplicas` while a campaign runs. */
export const campaignFieldManager = "multicloud-campaign";

/** Where an on-premises or private-endpoint API server lives when nothing narrower is known. */
export const privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

export interface HpaScheduleArgs {
    namespace: pulumi.Input<string>;
    /** The HorizontalPodAutoscaler whose minimum the campaigns raise: the only object the jobs may touch. */
    hpaName: pulumi.Input<string>;
    /** The HPA's own minimum, restored at the end of each campaign. */
    minReplicas: number;
    /** The HPA's maximum: no campaign may ask for more. */
    maxReplicas: number;
    schedules: CapacitySchedule[];
    /** A kubectl image pinned by digest (the restricted policy pack wants digests in prod). */
    kubectlImage?: string;
    /** Ranges of the API server the jobs call (egress on 443 and 6443 only); private ranges by default. */
    apiServerCidrs?: string[];
    /** When the deployment runs; a campaign that ended before it gets suspended jobs. */
    now?: Date;
}

/** CronJob names must fit 52 characters (the controller appends 11 to its Jobs). */
function cronJobName(component: string, schedule: string, edge: string): string {
    const full = `${component}-${schedule}-${edge}`;
    if (full.length <= 52) return full;
    const hash = createHash("sha256").update(full).digest("hex").slice(0, 6);
    const tail = `-${hash}-${edge}`;
    return `${full.slice(0, 52 - tail.length).replace(/-+$/, "")}${tail}`;
}

/**
 * Campaign scale-ups of a HorizontalPodAutoscaler: per campaign, a CronJob at the
 * start that patches the HPA's `minReplicas` up and one at the end that restores
 * it, both read in the campaign's time zone (batch/v1 `timeZone`). The jobs run
 * kubectl under a ServiceAccount whose Role may only `patch` that one HPA, under
 * the restricted Pod Security Standard, and may reach only the API server.
 *
 * A CronJob has no year field, so the pair would fire again on the same dates next
 * year: a deployment after a campaign's end suspends its jobs, and removing the
 * campaign from configuration deletes them.
 *
 * During a campaign the raised `minReplicas` belongs to these jobs: they patch it
 * as their own field manager (`campaignFieldManager`, visible in the HPA's
 * managedFields), and the workload leaves the field out of Pulumi's apply until
 * the window has closed (components/core/campaign-window.ts), so neither a
 * deploy nor the Operator's re-apply puts the normal minimum back early.
 */
export class HpaSchedule extends pulumi.ComponentResource {
    readonly serviceAccount: k8s.core.v1.ServiceAccount;
    readonly role: k8s.rbac.v1.Role;
    readonly roleBinding: k8s.rbac.v1.RoleBinding;
    readonly apiServerEgress: k8s.networking.v1.NetworkPolicy;
    readonly cronJobs: k8s.batch.v1.CronJob[];

    constructor(name: string, args: HpaScheduleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:kubernetes:HpaSchedule", name, {}, opts);
        validateSchedules("HpaSchedule", args.schedules, args.maxReplicas);
        const image = args.kubectlImage ?? defaultKubectlImage;
        if (!/@sha256:[0-9a-f]{64}$/.test(image)) {
            throw new Error(`HpaSchedule: \`kubectlImage\` must be pinned by digest (name@sha256:<64 hex>), got ${image}.`);
        }
        const apiServerCidrs = args.apiServerCidrs ?? privateRanges;
        const open = apiServerCidrs.filter((c) => c.endsWith("/0"));
        if (apiServerCidrs.length === 0 || open.length > 0) {
            throw new Error(`HpaSchedule: \`apiServerCidrs\` must list the API server's ranges (e.g. 10.0.0.1/32), not ${open.join(", ") || "nothing"}.`);
        }
        const now = (args.now ?? new Date()).getTime();
        const podLabels = { "app.kubernetes.io/name": `${name}-scaler`.slice(0, 63).replace(/-+$/, ""), "app.kubernetes.io/component": "campaign-scaler" };

        this.serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-scaler`,
            { metadata: { namespace: args.namespace }, automountServiceAccountToken: false },
            { parent: this },
        );
        this.role = new k8s.rbac.v1.Role(
            `${name}-scaler`,
            {
                metadata: { namespace: args.namespace },
                rules: [{ apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], resourceNames: [args.hpaName], verbs: ["patch"] }],
            },
            { parent: this },
        );
        this.roleBinding = new k8s.rbac.v1.RoleBinding(
            `${name}-scaler`,
            {
                metadata: { namespace: args.namespace },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: this.role.metadata.name },
                subjects: [{ kind: "ServiceAccount", name: this.serviceAccount.metadata.name, namespace: args.namespace }],
            },
            { parent: this },
        );
        this.apiServerEgress = new k8s.networking.v1.NetworkPolicy(
            `${name}-scaler-egress`,
            {
                metadata: { namespace: args.namespace },
                spec: {
                    podSelector: { matchLabels: podLabels },
                    policyTypes: ["Egress"],
                    egress: [{ to: apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [443, 6443].map((port) => ({ protocol: "TCP", port })) }],
                },
            },
            { parent: this },
        );

        const resources = { cpu: "50m", memory: "64Mi" };
        this.cronJobs = args.schedules.flatMap((schedule) => {
            const ended = scheduleInstant(schedule.end, schedule.timeZone)!.getTime() <= now;
            return [
                { edge: "start", at: schedule.start, minReplicas: Math.max(schedule.minCapacity, args.minReplicas) },
                { edge: "end", at: schedule.end, minReplicas: args.minReplicas },
            ].map(({ edge, at, minReplicas }) => {
                const [date, time] = at.split("T");
                const [, month, day] = date.split("-").map(Number);
                const [hour, minute] = time.split(":").map(Number);
                return new k8s.batch.v1.CronJob(
                    `${name}-${schedule.name}-${edge}`,
                    {
                        metadata: { namespace: args.namespace, name: cronJobName(name, schedule.name, edge) },
                        spec: {
                            schedule: `${minute} ${hour} ${day} ${month} *`,
                            timeZone: schedule.timeZone,
                            suspend: ended,
                            concurrencyPolicy: "Forbid",
                            // A controller that was down at the start time still raises the minimum within the hour.
                            startingDeadlineSeconds: 3600,
                            successfulJobsHistoryLimit: 1,
                            failedJobsHistoryLimit: 3,
                            jobTemplate: {
                                spec: {
                                    backoffLimit: 4,
                                    activeDeadlineSeconds: 600,
                                    template: {
                                        metadata: { labels: podLabels },
                                        spec: {
                                            serviceAccountName: this.serviceAccount.metadata.name,
                                            automountServiceAccountToken: true,
                                            restartPolicy: "Never",
                                            securityContext: {
                                                runAsNonRoot: true,
                                                runAsUser: 65532,
                                                runAsGroup: 65532,
                                                seccompProfile: { type: "RuntimeDefault" },
                                            },
                                            volumes: [{ name: "tmp", emptyDir: { sizeLimit: "16Mi" } }],
                                            containers: [
                                                {
                                                    name: "kubectl",
                                                    image,
                                                    command: ["kubectl"],
                                                    args: [
                                                        "patch",
                                                        "horizontalpodautoscaler",
                                                        args.hpaName,
                                                        "--namespace",
                                                        args.namespace,
                                                        "--type=merge",
                                                        `--field-manager=${campaignFieldManager}`,
                                                        `--patch=${JSON.stringify({ spec: { minReplicas } })}`,
                                                    ],
                                                    // kubectl keeps its discovery cache under $HOME; the root file system is read-only.
                                                    env: [{ name: "HOME", value: "/tmp" }],
                                                    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                                                    resources: { requests: resources, limits: resources },
                                                    securityContext: { privileged: false, ...restrictedContainerSecurity },
                                                },
                                            ],
                                        },
                                    },
                                },
                            },
                        },
                    },
                    { parent: this, dependsOn: [this.roleBinding, this.apiServerEgress] },
                );
            });
        });

        this.registerOutputs({ cronJobs: this.cronJobs.map((c) => c.metadata.name) });
    }
}
