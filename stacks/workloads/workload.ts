import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { Cloud, CloudKit, Environment, NetworkSpec } from "../../components/contracts";
import type { WorkloadName } from "../config";

/** What a workload receives for one cloud it is placed on. */
export interface WorkloadContext<Settings> {
    workload: WorkloadName;
    environment: Environment;
    cloud: Cloud;
    /** The kit of the cloud it is placed on: the only way a workload makes resources. */
    kit: CloudKit;
    /** This workload's own configuration keys, validated. */
    settings: Settings;
    /** Secret values from `multicloud:secrets`, each a Pulumi secret. */
    secrets: Record<string, pulumi.Output<string>>;
    /** The network of this workload on this cloud: ranges from the address plan, zones from configuration. */
    network: Pick<NetworkSpec, "cidr" | "zoneCount" | "secondaryRanges">;
    /** Other stacks this one reads, by the names in `multicloud:references`. */
    references: Record<string, pulumi.StackReference>;
    /** Prefix for resource names: the workload, plus the cloud when placed on several. */
    prefix: string;
    /** The stack file, for error messages. */
    stackFile: string;
}

/**
 * A workload: its configuration keys (beside the common ones) and how it is
 * built on any cloud's kit. It knows no resource types, only the contracts.
 */
export interface Workload<Shape extends z.ZodRawShape> {
    /** Keys under `multicloud:` that this workload reads; each with a safe default and a description. */
    settings: Shape;
    /** Checks across keys that a schema cannot state alone (min <= max, ...); throws ConfigError. */
    validate?(settings: z.output<z.ZodObject<Shape>>, context: { environment: Environment; stackFile: string; clouds: Cloud[] }): void;
    build(context: WorkloadContext<z.output<z.ZodObject<Shape>>>): Record<string, pulumi.Input<unknown>>;
}
