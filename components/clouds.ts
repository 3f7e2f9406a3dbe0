/**
 * Every cloud the platform runs on, each read from its own folder's
 * descriptor. Adding a cloud is a new folder with its `cloud.ts` and kit, one
 * line here, and its policies.
 */
import { alicloud } from "./alicloud/cloud";
import { aws } from "./aws/cloud";
import type { CloudDescriptor } from "./core/cloud";
import { gcp } from "./gcp/cloud";
import { onprem } from "./onprem/cloud";

/** In order of the docs' tables; the first listed is no one's default. */
export const cloudDescriptors = [aws, gcp, alicloud, onprem] as const;

export type Cloud = (typeof cloudDescriptors)[number]["id"];

export const clouds = cloudDescriptors.map((d) => d.id) as unknown as readonly [Cloud, ...Cloud[]];

const byId = new Map<string, CloudDescriptor>(cloudDescriptors.map((d) => [d.id, d]));

export function descriptorOf(cloud: Cloud): CloudDescriptor<Cloud> {
    return byId.get(cloud) as CloudDescriptor<Cloud>;
}

export function isCloud(value: unknown): value is Cloud {
    return typeof value === "string" && byId.has(value);
}

/** The clouds that run VMs of a stack's own image. */
export type ImageCloud = Extract<(typeof cloudDescriptors)[number], { image: object }>["id"];

/** The clouds that have regions (the public clouds), with their descriptors' region facts. */
type WithRegion = Extract<(typeof cloudDescriptors)[number], { region: object }>;
export type RegionCloud = WithRegion["id"];
export const regionClouds = cloudDescriptors.filter((d): d is WithRegion => "region" in d);

/**
 * Which cloud a provider package's resources run on, and which packages' run
 * inside a cluster (on the cloud of that cluster): the table the offline plan's
 * cloud resolver and the policies take.
 */
export const cloudTable: { clouds: Record<string, string>; inCluster: string[] } = {
    clouds: Object.fromEntries(cloudDescriptors.map((d) => [d.providerPackage, d.id])),
    inCluster: cloudDescriptors.filter((d) => d.inCluster).map((d) => d.providerPackage),
};

/** The region a kit of the cloud builds in: the stack's for a cloud with regions, else the cloud's own id. */
export function regionOf(cloud: Cloud, regions: Readonly<Record<RegionCloud, string>>): string {
    return descriptorOf(cloud).region ? regions[cloud as RegionCloud] : cloud;
}

/** The cloud's kit: its module loads on the first call. */
export const createKitOf = (cloud: Cloud) => descriptorOf(cloud).loadKit().createKit;

/** Provider packages of the clouds, in the descriptors' order. */
export const providerPackages = cloudDescriptors.map((d) => d.providerPackage);
