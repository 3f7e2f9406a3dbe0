import * as pulumi from "@pulumi/pulumi";
import { clouds } from "../clouds";
import { allCapabilities, capabilitiesOf, cloudsWith, requireCapabilities } from "./capabilities";
import { ConfigError } from "./errors";
import { handleOwner } from "./handle";
import { checkedKit } from "./kit";
import { validateContainerServiceSpec, validateLoadBalancerSpec, validateNetworkSpec, validateSecretParameterSpec, validateVmGroupSpec } from "./validate";

class Made {
    readonly cloud = "aws";
}
/** A handle kind of the gcp kit: the message names it by its class's name. */
class Network {
    readonly cloud = "gcp";
}

describe("handleOwner", () => {
    test("returns a handle its kit made", () => {
        const handle = new Made();
        expect(handleOwner("aws")(handle, Made, "network")).toBe(handle);
    });
    test("names the argument, the kind and the kit the handle came from", () => {
        expect(() => handleOwner("gcp")(new Made(), Network, "network")).toThrow(
            "gcp kit: `network` must be a Network made by the gcp kit; got a handle from the aws kit.",
        );
        expect(() => handleOwner("gcp")(undefined, Network, "network")).toThrow("got undefined.");
    });
});

describe("capabilities", () => {
    test("every capability is honoured by at least one kit", () => {
        for (const capability of allCapabilities) expect(cloudsWith(capability).length).toBeGreaterThan(0);
    });
    test("every kit declares only known capabilities", () => {
        for (const cloud of clouds) for (const c of capabilitiesOf(cloud)) expect(allCapabilities).toContain(c);
    });
    test("a set field the kit cannot honour is a ConfigError naming the field and the kits that can", () => {
        const refuse = () => requireCapabilities("onprem", "containerService", 'containerService("web")', { paths: ["/api/*"] });
        expect(refuse).toThrow(ConfigError);
        expect(refuse).toThrow(
            'onprem kit: containerService("web") sets `paths` of a containerService, which the onprem kit cannot honour; the kits that can: aws, gcp, alicloud.',
        );
    });
    test("an empty list or map asks for nothing", () => {
        expect(() => requireCapabilities("aws", "containerService", "s", { egressAllowCidrs: {}, paths: [], storage: undefined })).not.toThrow();
    });
});

describe("validators", () => {
    test("network: an IPv4 block and whole zones", () => {
        expect(() => validateNetworkSpec("n", { environment: "dev", cidr: "10.0.0.1/16", zoneCount: 2 })).toThrow("n: `cidr` must be an IPv4 network block");
        expect(() => validateNetworkSpec("n", { environment: "dev", cidr: "10.0.0.0/16", zoneCount: 0 })).toThrow(
            "n: `zoneCount` must be a whole number >= 1, got 0.",
        );
    });
    test("vm group: min <= desired <= max, a CPU target, a port", () => {
        const spec = { environment: "dev" as const, imageId: "i", size: "small" as const, minSize: 2, desiredSize: 1, maxSize: 3, cpuTargetPercent: 50 };
        expect(() => validateVmGroupSpec("g", spec)).toThrow("g: `desiredSize` (1) must lie between `minSize` (2) and `maxSize` (3).");
        expect(() => validateVmGroupSpec("g", { ...spec, desiredSize: 2, port: 70000 })).toThrow("g: `port` must be a port from 1 to 65535, got 70000.");
        expect(() => validateVmGroupSpec("g", { ...spec, desiredSize: 2, cpuTargetPercent: 0 })).toThrow("must be in (0, 100]");
    });
    test("container service: counts, CPU in millicores, port and schedules", () => {
        const spec = { image: "i", cpu: 250, memory: 512, port: 8080, desiredCount: 1, minCount: 1, maxCount: 2 };
        expect(() => validateContainerServiceSpec("s", spec)).not.toThrow();
        expect(() => validateContainerServiceSpec("s", { ...spec, cpu: 0.5 })).toThrow("s: `cpu` must be a whole number >= 1, got 0.5.");
        expect(() => validateContainerServiceSpec("s", { ...spec, minCount: 3 })).toThrow("s: `minCount` (3) must not be above `maxCount` (2).");
        expect(() =>
            validateContainerServiceSpec("s", {
                ...spec,
                schedules: [{ name: "sale", start: "2026-11-27T06:00", end: "2026-11-28T06:00", timeZone: "Europe/Amsterdam", minCapacity: 9 }],
            }),
        ).toThrow("must be a whole number from 1 to the group's maximum (2), got 9");
    });
    test("load balancer: a port and a health-check path", () => {
        expect(() => validateLoadBalancerSpec("lb", { environment: "dev", targetPort: 80, healthCheckPath: "healthz" })).toThrow(
            'lb: `healthCheckPath` must be an HTTP path starting with "/", got "healthz".',
        );
    });
    test("secret parameter: only a Pulumi secret", () => {
        expect(() => validateSecretParameterSpec("p", { value: "plain" as unknown as pulumi.Output<string> })).toThrow("p: `value` must be a Pulumi secret");
        expect(() => validateSecretParameterSpec("p", { value: pulumi.secret("s") })).not.toThrow();
    });
});

describe("checkedKit", () => {
    const calls: string[] = [];
    const fake = (cloud: "aws" | "gcp" | "onprem", converter: boolean) =>
        checkedKit({
            cloud,
            instanceTypeOf: () => "t",
            sizeCapacity: () => ({ cpu: 1000, memoryMiB: 1024 }),
            network: () => (calls.push("network"), {}) as any,
            loadBalancer: () => ({}) as any,
            sharedStorage: () => ({}) as any,
            secretParameter: () => ({}) as any,
            vmGroup: () => ({}) as any,
            containerCluster: () => ({}) as any,
            containerService: () => (calls.push("containerService"), {}) as any,
            link: () => ({}) as any,
            privateListener: () => ({}) as any,
            ...(converter ? { converterGroup: () => ({}) as any } : {}),
        });

    test("declares the kit's capabilities", () => {
        expect(fake("aws", false).capabilities).toEqual(capabilitiesOf("aws"));
    });
    test("validates before the kit builds anything", () => {
        const kit = fake("aws", false);
        calls.length = 0;
        expect(() => kit.network("n", { environment: "dev", cidr: "nope", zoneCount: 2 })).toThrow('network("n"): `cidr`');
        expect(calls).toEqual([]);
    });
    test("refuses a field the kit cannot honour, and a converter group where the kit has none", () => {
        const kit = fake("aws", false);
        const service = { image: "i", cpu: 250, memory: 512, port: 80, desiredCount: 1, minCount: 1, maxCount: 1, environment: "dev" as const };
        expect(() => fake("onprem", false).containerService("s", { ...service, paths: ["/api/*"] } as any)).toThrow(
            'onprem kit: containerService("s") sets `paths` of a containerService, which the onprem kit cannot honour; the kits that can: aws, gcp, alicloud.',
        );
        expect(() => kit.converterGroup!("c", {} as any)).toThrow(
            'aws kit: converterGroup("c") sets `converterGroup`, which the aws kit cannot honour; the kits that can: gcp, alicloud.',
        );
    });
    test("a kit whose converter group disagrees with its declared capabilities is refused", () => {
        expect(() => fake("aws", true)).toThrow("aws kit: its converterGroup and its declared capabilities disagree.");
    });
});
