import * as pulumi from "@pulumi/pulumi";
import { createKitOf, regionOf, type RegionCloud } from "../components/clouds";
import type { Cloud, CloudKit, Environment, OnPremClusterSettings } from "../components/contracts";

interface KitConfig {
    environment: Environment;
    regions: Record<RegionCloud, string>;
    gcpProject: string;
    kubeconfig?: string;
    kubeContext?: string;
    onprem: OnPremClusterSettings;
}

export function kitFor(cloud: Cloud, config: KitConfig): CloudKit {
    // Only the kits a stack uses load: each provider SDK costs most of a second.
    return createKitOf(cloud)({
        environment: config.environment,
        name: cloud,
        region: regionOf(cloud, config.regions),
        project: config.gcpProject,
        kubeconfig: config.kubeconfig === undefined ? undefined : pulumi.secret(config.kubeconfig),
        kubeContext: config.kubeContext,
        onprem: config.onprem,
    });
}
