import * as pulumi from "@pulumi/pulumi";
import type { Cloud, CloudKit, CreateKit, Environment, OnPremClusterSettings } from "../components/contracts";

interface KitConfig {
    environment: Environment;
    regions: { aws: string; gcp: string; alicloud: string };
    gcpProject: string;
    kubeconfig?: string;
    kubeContext?: string;
    onprem: OnPremClusterSettings;
}

/* eslint-disable @typescript-eslint/no-require-imports */
/** Loads only the kits a stack uses: each provider SDK costs most of a second to load. */
const kitModules: Record<Cloud, () => { createKit: CreateKit }> = {
    aws: () => require("../components/aws/kit"),
    gcp: () => require("../components/gcp/kit"),
    alicloud: () => require("../components/alicloud/kit"),
    onprem: () => require("../components/kubernetes/kit"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export function kitFor(cloud: Cloud, config: KitConfig): CloudKit {
    const { createKit } = kitModules[cloud]();
    return createKit({
        environment: config.environment,
        name: cloud,
        region: cloud === "onprem" ? "onprem" : config.regions[cloud],
        project: config.gcpProject,
        kubeconfig: config.kubeconfig === undefined ? undefined : pulumi.secret(config.kubeconfig),
        kubeContext: config.kubeContext,
        ...(cloud === "onprem" ? { onprem: config.onprem } : {}),
    });
}
