import * as pulumi from "@pulumi/pulumi";
import type { Cloud, CloudKit, CreateKit, Environment } from "../components/contracts";

interface KitConfig {
    environment: Environment;
    regions: { aws: string; gcp: string; alicloud: string };
    gcpProject: string;
    kubeconfig?: string;
    kubeContext?: string;
}

/** Loads only the kits a stack uses: each provider SDK costs most of a second to load. */
const kitModules: Record<Cloud, () => Promise<{ createKit: CreateKit }>> = {
    aws: () => import("../components/aws/kit"),
    gcp: () => import("../components/gcp/kit"),
    alicloud: () => import("../components/alicloud/kit"),
    onprem: () => import("../components/kubernetes/kit"),
};

export async function kitFor(cloud: Cloud, config: KitConfig): Promise<CloudKit> {
    const { createKit } = await kitModules[cloud]();
    return createKit({
        environment: config.environment,
        name: cloud,
        region: cloud === "onprem" ? "onprem" : config.regions[cloud],
        project: config.gcpProject,
        kubeconfig: config.kubeconfig === undefined ? undefined : pulumi.secret(config.kubeconfig),
        kubeContext: config.kubeContext,
    });
}
