import type * as pulumi from "@pulumi/pulumi";
import type { VmGroupHandle } from "../contracts";
import { Deployment, type DeploymentArgs } from "../kubernetes/deployment";

/**
 * The private cloud's VM group: pods of the shared Kubernetes Deployment module
 * on the cluster's own nodes, the same module GKE's and ACK's container services
 * run on.
 */
export class VmGroup extends Deployment implements VmGroupHandle {
    readonly cloud = "onprem" as const;

    constructor(name: string, args: DeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
        super(name, args, opts, { type: "multicloud:onprem:VmGroup", subject: "VmGroup", formerly: "multicloud:kubernetes:VmGroup" });
    }
}
