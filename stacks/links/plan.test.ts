import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "../../components/contracts";
import { ConfigError } from "../../components/core/errors";
import { AddressPlanError, addressPlanFile, loadAddressPlan, parseAddressPlan, plannedRanges, tunnelInsideRanges } from "../address-plan";
import type { WorkloadName } from "../config";
import { callerRanges, crossCloudCalls, readWorkloadStacks, type WorkloadStack } from "../peers";
import { linkCiphers, planLinks, plannedTunnels, tunnelKey } from "./plan";

const stacks = readWorkloadStacks();
const stackOf = (workload: WorkloadName, clouds: Cloud[], references: Record<string, string> = {}, extra: Partial<WorkloadStack> = {}): WorkloadStack => ({
    ...stacks.find((s) => s.name === `${workload}-prod`)!,
    clouds,
    references,
    ...extra,
});
const key = (t: number) => pulumi.secret(`key-${t}`);

describe("the workload stack files", () => {
    test("are read for their placement and references: the partner stacks call the backend stacks of their environment", () => {
        expect(stacks.map((s) => s.name)).toEqual(["analytics", "backend", "partner", "transactional"].flatMap((w) => [`${w}-dev`, `${w}-prod`]));
        expect(stacks.find((s) => s.name === "partner-prod")).toMatchObject({ clouds: ["onprem"], references: { backend: "backend-prod" } });
    });

    test("each environment calls across clouds once: the partner gateway on the private cloud to the backend where its file places it", () => {
        for (const environment of ["dev", "prod"] as const) {
            const calls = crossCloudCalls(stacks, environment);
            const backend = stacks.find((s) => s.name === `backend-${environment}`)!;
            expect(calls.map((c) => [c.caller.name, c.callerCloud, c.callee.name, c.calleeCloud])).toEqual(
                backend.clouds.map((cloud) => [`partner-${environment}`, "onprem", `backend-${environment}`, cloud]),
            );
        }
    });

    test("a reference to a stack that has no file, or to another environment's, is a configuration error naming the key", () => {
        const lost = stackOf("partner", ["onprem"], { backend: "backend-staging" });
        expect(() => crossCloudCalls([lost, ...stacks.filter((s) => s.name !== "partner-prod")], "prod")).toThrow(
            'Invalid configuration in stacks/Pulumi.partner-prod.yaml: multicloud:references.backend = "backend-staging" names no stack file',
        );
        const crossed = stackOf("partner", ["onprem"], { backend: "backend-dev" });
        expect(() => crossCloudCalls([crossed, ...stacks.filter((s) => s.name !== "partner-prod")], "prod")).toThrow(
            "is a dev stack; a prod stack calls prod stacks only",
        );
    });

    test("a callee's private listener admits the callers on other clouds, wherever the callee is built", () => {
        expect(callerRanges(stacks, "backend-prod", "alicloud")).toEqual(plannedRanges("partner", "prod", "onprem"));
        expect(callerRanges(stacks, "backend-prod", "gcp")).toEqual(["10.41.0.0/16"]);
        expect(callerRanges(stacks, "transactional-prod", "aws")).toEqual([]);
    });
});

describe("planLinks", () => {
    test("the repository's prod stacks: one link, the edge to the backend, each end with its plan's ASN and ranges", () => {
        const { ends, links } = planLinks(stacks, "prod");
        const backendCloud = stacks.find((s) => s.name === "backend-prod")!.clouds[0];
        expect(links.map((l) => l.name)).toEqual([`partner-onprem-to-backend-${backendCloud}`]);
        expect(ends.map((e) => [e.name, e.asn, e.ranges])).toEqual([
            ["partner-onprem", loadAddressPlan().links!.asns.prod!.onprem, ["10.41.0.0/16"]],
            [`backend-${backendCloud}`, loadAddressPlan().links!.asns.prod![backendCloud], plannedRanges("backend", "prod", backendCloud)],
        ]);
    });

    test("a workload active-active on two clouds gets a link on each; its callers' end is planned once", () => {
        const { ends, links } = planLinks([stackOf("partner", ["onprem"], { backend: "backend-prod" }), stackOf("backend", ["alicloud", "gcp"])], "prod");
        expect(links.map((l) => l.name)).toEqual(["partner-onprem-to-backend-alicloud", "partner-onprem-to-backend-gcp"]);
        expect(ends.map((e) => e.name)).toEqual(["partner-onprem", "backend-alicloud", "backend-gcp"]);
    });

    test("a call between placements on the same cloud needs no link", () => {
        expect(planLinks([stackOf("transactional", ["aws"], { backend: "backend-prod" }), stackOf("backend", ["aws"])], "prod").links).toEqual([]);
    });

    test("a stack file that asks for a range other than the plan's is refused, as its own program refuses it", () => {
        expect(() =>
            planLinks([stackOf("partner", ["onprem"], { backend: "backend-prod" }), stackOf("backend", ["aws"], {}, { networkCidr: "10.99.0.0/16" })], "prod"),
        ).toThrow('Invalid configuration in stacks/Pulumi.backend-prod.yaml: multicloud:network.cidr = "10.99.0.0/16" differs from the plan');
        expect(() =>
            planLinks([stackOf("partner", ["onprem"], { backend: "backend-prod" }), stackOf("backend", ["aws"], {}, { networkCidr: "10.41.0.0/16" })], "prod"),
        ).toThrow("overlaps partner/prod/onprem (10.41.0.0/16) in the address plan");
    });
});

describe("plannedTunnels", () => {
    const linkTo = (cloud: Cloud) => planLinks([stackOf("partner", ["onprem"], { backend: "backend-prod" }), stackOf("backend", [cloud])], "prod").links[0];

    test("toward AWS: four /30s from the aws-onprem /28 of the pair's /25, AWS on the first address of each", () => {
        const tunnels = plannedTunnels(linkTo("aws"), { caller: 2, callee: 4 }, key);
        expect(tunnels.callee.map((t) => [t.insideCidr, t.insideAddress, t.peerInsideAddress])).toEqual([
            ["169.254.24.32/30", "169.254.24.33", "169.254.24.34"],
            ["169.254.24.36/30", "169.254.24.37", "169.254.24.38"],
            ["169.254.24.40/30", "169.254.24.41", "169.254.24.42"],
            ["169.254.24.44/30", "169.254.24.45", "169.254.24.46"],
        ]);
        expect(tunnels.caller.map((t) => [t.insideCidr, t.insideAddress])).toEqual(tunnels.callee.map((t) => [t.insideCidr, t.peerInsideAddress]));
    });

    test("moving the backend moves the link to the pair of clouds' own /28 of the same /25", () => {
        const cidrs = (cloud: Cloud, count: number) => plannedTunnels(linkTo(cloud), { caller: 2, callee: count }, key).caller.map((t) => t.insideCidr);
        expect(cidrs("gcp", 2)).toEqual(["169.254.24.64/30", "169.254.24.68/30"]);
        expect(cidrs("alicloud", 2)).toEqual(["169.254.24.80/30", "169.254.24.84/30"]);
    });

    test("a pair of workloads with no inside ranges in the plan is a configuration error naming the key to add", () => {
        const link = planLinks([stackOf("transactional", ["aws"], { backend: "backend-prod" }), stackOf("backend", ["gcp"])], "prod").links[0];
        expect(() => plannedTunnels(link, { caller: 4, callee: 2 }, key)).toThrow(ConfigError);
        expect(() => plannedTunnels(link, { caller: 4, callee: 2 }, key)).toThrow(
            "add links.insideRanges.transactional-backend.prod (a free /25 of 169.254.0.0/16",
        );
    });

    test("the ciphers both ends offer: GCM with AWS, CBC and group 14 with Alibaba Cloud", () => {
        expect(linkCiphers(linkTo("aws"))).toEqual({ encryption: "aes-256-gcm", integrity: "sha-512", dhGroup: 20 });
        expect(linkCiphers(linkTo("alicloud"))).toEqual({ encryption: "aes-256-cbc", integrity: "sha-512", dhGroup: 14 });
    });
});

test("tunnelKey: 64 letters and digits not starting with 0, one per link and tunnel, the same for the same seed", () => {
    const k = tunnelKey("seed", "partner-onprem-to-backend-alicloud", 0);
    expect(k).toMatch(/^k[0-9a-f]{63}$/);
    expect(tunnelKey("seed", "partner-onprem-to-backend-alicloud", 0) === k).toBe(true);
    expect(
        new Set([
            k,
            tunnelKey("seed", "partner-onprem-to-backend-alicloud", 1),
            tunnelKey("seed", "partner-onprem-to-backend-aws", 0),
            tunnelKey("other", "partner-onprem-to-backend-alicloud", 0),
        ]).size,
    ).toBe(4);
});

describe("the address plan's links", () => {
    const base = fs.readFileSync(addressPlanFile, "utf8");
    const withLinks = (links: string) => base.slice(0, base.indexOf("\nlinks:")) + `\nlinks:\n${links}`;
    const asns = "  asns:\n    prod: { aws: 64611, gcp: 64621, alicloud: 64631, onprem: 64641 }\n";
    const fails = (text: string) => () => parseAddressPlan(text, "plan.yaml");

    test("every inside range of the repository's plan is a /25 of 169.254.0.0/16, and each pair of clouds' /28 holds four tunnels", () => {
        expect(tunnelInsideRanges("partner", "backend", "dev", "onprem", "aws", 4)).toEqual([
            "169.254.16.32/30",
            "169.254.16.36/30",
            "169.254.16.40/30",
            "169.254.16.44/30",
        ]);
        expect(() => tunnelInsideRanges("partner", "backend", "dev", "onprem", "aws", 5)).toThrow("needs 5 tunnels; a pair of clouds has room for 4");
    });

    test("a public ASN, or one ASN for two clouds, is refused", () => {
        expect(fails(withLinks("  asns:\n    prod: { aws: 16509, gcp: 64621, alicloud: 64631, onprem: 64641 }\n"))).toThrow(
            "links.asns.prod.aws = 16509: not a private ASN (64512-65534)",
        );
        expect(fails(withLinks("  asns:\n    prod: { aws: 64611, gcp: 64611, alicloud: 64631, onprem: 64641 }\n"))).toThrow(
            "links.asns.prod.gcp = 64611: already links.asns.prod.aws's",
        );
    });

    test("inside ranges: /25s of 169.254.0.0/16, clear of AWS's reserved /30s and of each other, named for a pair of workloads", () => {
        const inside = (entries: string) => withLinks(`${asns}  insideRanges:\n${entries}`);
        expect(fails(inside("    partner-backend: { prod: 169.254.16.0/24 }\n"))).toThrow(
            "links.insideRanges.partner-backend.prod = 169.254.16.0/24: must be a /25 of 169.254.0.0/16",
        );
        expect(fails(inside("    partner-backend: { prod: 10.0.0.0/25 }\n"))).toThrow("must be a /25 of 169.254.0.0/16");
        expect(fails(inside("    partner-backend: { prod: 169.254.0.0/25 }\n"))).toThrow("holds /30s AWS reserves");
        expect(fails(inside("    partner-backend: { prod: 169.254.16.0/25 }\n    transactional-backend: { prod: 169.254.16.0/25 }\n"))).toThrow(
            "links.insideRanges.transactional-backend.prod = 169.254.16.0/25 overlaps links.insideRanges.partner-backend.prod = 169.254.16.0/25",
        );
        expect(fails(inside("    partner-bank: { prod: 169.254.16.0/25 }\n"))).toThrow(AddressPlanError);
        expect(fails(inside("    partner-bank: { prod: 169.254.16.0/25 }\n"))).toThrow(
            "links.insideRanges.partner-bank: not a pair of workloads <caller>-<callee>",
        );
    });
});
