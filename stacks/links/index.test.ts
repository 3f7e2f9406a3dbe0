/**
 * The links stacks planned offline as `npm run plan -- --cwd stacks/links
 * --stack links-prod` plans them, with the policy pack: with the backend in its
 * home placement, and moved to AWS and to GCP by `multicloud:clouds` in its
 * stack file (on a copy of the project, never by committing another placement).
 * Each plan shows both ends with the same addresses and ranges, and the partner
 * stack's plan shows the gateway's egress to the backend's range on that cloud.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml, stringify } from "yaml";
import { planStack, planStacks, warmRunners, type PlanRun, type PolicySession } from "pulumi-offline-plan";
import { policySession } from "../../test/helpers/policy";
import { stackPlans } from "../../test/helpers/stack-plans";
import { loadAddressPlan, plannedRanges } from "../address-plan";
import { estimateCost } from "../../plan.config";
import { placementDiagram } from "../../plan.config";
import type { Cloud } from "../../components/contracts";

const root = path.resolve(__dirname, "../..");
const plan = loadAddressPlan();
const edgeAddresses = (stack: string) =>
    parseYaml(fs.readFileSync(path.join(__dirname, `Pulumi.${stack}.yaml`), "utf8")).config["multicloud-links:edgeAddresses"] as string[];

/** A copy of the project whose backend-prod stack file places the backend on other clouds; nothing else changed. */
function projectWithBackendOn(clouds: Cloud[]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "links-placement-"));
    for (const entry of ["Pulumi.yaml", "package.json", "tsconfig.json", "stacks", "components", "data", "environments", "policies"]) {
        fs.cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
    }
    fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
    const file = path.join(dir, "stacks", "Pulumi.backend-prod.yaml");
    const doc = parseYaml(fs.readFileSync(file, "utf8"));
    doc.config["multicloud:clouds"] = clouds;
    fs.writeFileSync(file, stringify(doc));
    return dir;
}

let session: PolicySession;
const runs = new Map<string, { links: PlanRun; workloads: PlanRun[] }>();
const copies: string[] = [];

/**
 * The workload stacks the links read, planned together so their references are answered (the project's own
 * placements as every stack of the project is planned, test/helpers/stack-plans.ts), then the links stack with their outputs.
 */
async function planPlacement(name: string, projectDir: string, environment: "dev" | "prod") {
    const workloadStacks = [`backend-${environment}`, `partner-${environment}`];
    const workloads =
        projectDir === root
            ? await stackPlans().then((plans) => workloadStacks.map((stack) => plans.get(stack)!))
            : await planStacks({ cwd: projectDir, stacks: workloadStacks }, session);
    const stackReferences = Object.fromEntries(workloads.map((w) => [w.plan.stack, w.wireOutputs]));
    const links = await planStack({ cwd: path.join(projectDir, "stacks", "links"), stack: `links-${environment}`, stackReferences }, session);
    runs.set(name, { links, workloads });
}

beforeAll(async () => {
    warmRunners.keepWarm();
    session = await policySession();
    await planPlacement("dev", root, "dev");
    await planPlacement("home", root, "prod");
    for (const cloud of ["aws", "gcp"] as const) {
        const dir = projectWithBackendOn([cloud]);
        copies.push(dir);
        await planPlacement(cloud, dir, "prod");
    }
}, 600_000);

afterAll(async () => {
    await session?.stop();
    for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
});

const linksOf = (name: string) => runs.get(name)!.links.plan;

/** Mermaid's own parser, in a child process (it is an ES module and wants a DOM): each block's errors, [] when it parses. */
function mermaidErrors(blocks: string[]): Promise<string[][]> {
    const script = `
        import { JSDOM } from "jsdom";
        const { window } = new JSDOM("");
        globalThis.window = window;
        globalThis.document = window.document;
        const { default: mermaid } = await import("mermaid");
        let input = "";
        for await (const chunk of process.stdin) input += chunk;
        const errors = [];
        for (const block of JSON.parse(input)) {
            try { await mermaid.parse(block); errors.push([]); } catch (e) { errors.push([String(e.message ?? e)]); }
        }
        process.stdout.write(JSON.stringify(errors));
    `;
    return new Promise((resolve, reject) => {
        const child = execFile(process.execPath, ["--input-type=module", "-e", script], { cwd: root, maxBuffer: 1 << 24 }, (err, stdout, stderr) =>
            err ? reject(new Error(stderr || err.message)) : resolve(JSON.parse(stdout)),
        );
        child.stdin!.end(JSON.stringify(blocks));
    });
}
const placements = [
    ["dev", "alicloud"],
    ["home", "alicloud"],
    ["aws", "aws"],
    ["gcp", "gcp"],
] as const;
const diagramOf = (name: string) => placementDiagram(linksOf(name), "links").join("\n");
/** Loading Mermaid is most of a parse: every placement's diagram is parsed in one child, when a test first asks. */
let parsedDiagrams: Promise<Map<string, string[]>> | undefined;
const diagramErrors = async (name: string): Promise<string[]> => {
    parsedDiagrams ??= (async () => {
        const names = placements.map(([n]) => n);
        const errors = await mermaidErrors(
            names.map((n) =>
                diagramOf(n)
                    .replace(/^```mermaid\n/, "")
                    .replace(/```\n*$/, ""),
            ),
        );
        return new Map(names.map((n, i) => [n, errors[i]]));
    })();
    return (await parsedDiagrams).get(name)!;
};
const resources = (name: string, type: string) => linksOf(name).resources.filter((r) => r.type === type) as { name: string; inputs: any }[];
/** The edge router's parameters for its one peer, as the plan shows the stack output. */
const edgeOf = (name: string) => Object.values(linksOf(name).outputs.edge as Record<string, any>)[0];

describe.each(placements)("links with the backend's placement %s (on %s)", (name, cloud) => {
    const environment = name === "dev" ? "dev" : "prod";

    test("the links, backend and partner stacks plan with no mandatory violation and nothing unknown to a policy; the links build on the backend's cloud", () => {
        for (const { plan: p } of [runs.get(name)!.links, ...runs.get(name)!.workloads]) {
            const blocking = p.violations.filter((v) => v.enforcementLevel === "mandatory" || v.message.includes("can't run policy"));
            expect([p.stack, blocking.map((v) => `${v.policy}: ${v.message}`)]).toEqual([p.stack, []]);
        }
        const clouds = new Set(
            linksOf(name)
                .resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"))
                .map((r) => r.type.split(":")[0]),
        );
        expect([...clouds]).toEqual([cloud]);
    });

    test("the edge's parameters: its planned ASN and range out, the backend's ASN and planned range in, over the edge's configured addresses", () => {
        const edge = edgeOf(name);
        expect(edge).toMatchObject({
            cloud: "onprem",
            asn: plan.links!.asns[environment]!.onprem,
            peerAsn: plan.links!.asns[environment]![cloud],
            advertised: plannedRanges("partner", environment, "onprem"),
            routed: plannedRanges("backend", environment, cloud),
            ike: "ikev2",
        });
        const addresses = edgeAddresses(`links-${environment}`);
        expect([...new Set(edge.tunnels.map((t: any) => t.outsideAddress))]).toEqual(addresses);
        expect(linksOf(name).outputs.edgeKeys).toBe("[secret]");
        // The deploy reads it after `pulumi up`: a link rolls out nothing and serves no health check.
        expect(linksOf(name).outputs.verification).toEqual({ rollouts: [], healthChecks: [] });
    });

    test("the backend's end points at the edge's addresses with the edge's ASN, on the same inside /30s, the other address of each", () => {
        const edge = edgeOf(name);
        const insides = edge.tunnels.map((t: any) => [t.insideCidr, t.peerInsideAddress, t.insideAddress]);
        const addresses = edgeAddresses(`links-${environment}`);
        const asn = String(plan.links!.asns[environment]!.onprem);
        // Each cloud's resources for the backend's end, beside what they must say.
        const { seen, wanted } = {
            alicloud: () => ({
                seen: {
                    gateways: resources(name, "alicloud:vpn/customerGateway:CustomerGateway").map((g) => [g.inputs.ipAddress, g.inputs.asn]),
                    tunnels: resources(name, "alicloud:vpn/connection:Connection")
                        .flatMap((c) => c.inputs.tunnelOptionsSpecifications)
                        .map((t: any) => [t.tunnelBgpConfig.tunnelCidr, t.tunnelBgpConfig.localBgpIp]),
                },
                wanted: { gateways: addresses.map((a) => [a, asn]), tunnels: insides.map(([cidr, theirs]: string[]) => [cidr, theirs]) },
            }),
            aws: () => ({
                seen: {
                    gateways: resources(name, "aws:ec2/customerGateway:CustomerGateway").map((g) => [g.inputs.ipAddress, g.inputs.bgpAsn]),
                    insideCidrs: resources(name, "aws:ec2/vpnConnection:VpnConnection").flatMap((c) => [
                        c.inputs.tunnel1InsideCidr,
                        c.inputs.tunnel2InsideCidr,
                    ]),
                    amazonSideAsns: resources(name, "aws:ec2transitgateway/transitGateway:TransitGateway").map((t) => t.inputs.amazonSideAsn),
                },
                wanted: {
                    gateways: addresses.map((a) => [a, asn]),
                    insideCidrs: insides.map(([cidr]: string[]) => cidr),
                    amazonSideAsns: [plan.links!.asns.prod!.aws],
                },
            }),
            gcp: () => ({
                seen: {
                    external: resources(name, "gcp:compute/externalVpnGateway:ExternalVpnGateway").map((g) => g.inputs.interfaces.map((i: any) => i.ipAddress)),
                    interfaces: resources(name, "gcp:compute/routerInterface:RouterInterface").map((i) => i.inputs.ipRange),
                    peers: resources(name, "gcp:compute/routerPeer:RouterPeer").map((p) => [p.inputs.peerIpAddress, p.inputs.peerAsn]),
                },
                wanted: {
                    external: [addresses],
                    interfaces: insides.map(([, theirs]: string[]) => `${theirs}/30`),
                    peers: insides.map(([, , ours]: string[]) => [ours, Number(asn)]),
                },
            }),
        }[cloud]();
        expect(seen).toEqual(wanted);
        // The backend's own outside addresses are the cloud's to assign: unknown until `pulumi up`, as a real preview shows them.
        for (const t of edge.tunnels) expect(t.peerOutsideAddress).toBe("[unknown]");
    });

    test("the estimate prices every link resource (gateways, connections or tunnels, data processing) and attributes it to the backend, on its cloud", () => {
        const cost = estimateCost(linksOf(name).resources);
        expect(cost.unpriced).toEqual([]);
        expect(cost.monthlyUsd).toBeGreaterThan(0);
        expect(Object.keys(cost.byCloud)).toEqual([cloud]);
        expect(Object.keys(cost.byWorkload)).toEqual(["backend"]);
    });

    test("the comment's diagram: each network in its cloud with its planned ranges, the link between them with its tunnels, cipher and ASNs; Mermaid parses it", async () => {
        const diagram = diagramOf(name);
        const edge = edgeOf(name);
        expect(diagram).toContain(`["${cloud}"]`);
        expect(diagram).toContain(`["partner<br/>${plannedRanges("partner", environment, "onprem").join("<br/>")}"]`);
        expect(diagram).toContain(`["backend<br/>${plannedRanges("backend", environment, cloud).join("<br/>")}"]`);
        expect(diagram).toMatch(
            new RegExp(`n\\d <-->\\|"IPsec, ${edge.tunnels.length} tunnels, ${edge.ciphers.encryption}<br/>BGP ${edge.asn} / ${edge.peerAsn}"\\| n\\d`),
        );
        expect(await diagramErrors(name)).toEqual([]);
    }, 60_000);

    test("every link resource carries its network's workload for the cost tags: the backend's", () => {
        const custom = linksOf(name).resources.filter((r) => r.custom && r.type.startsWith(`${cloud}:`));
        expect(custom.length).toBeGreaterThan(0);
        const tagged = custom.map((r) => (r.inputs as any).tags ?? (r.inputs as any).labels).filter(Boolean);
        for (const tags of tagged) expect(tags.workload).toBe("backend");
    });

    test("the partner stack's plan: the gateway's egress admits the backend's planned range on that cloud, besides the banks'", () => {
        const partner = runs.get(name)!.workloads.find((w) => w.plan.stack === `partner-${environment}`)!.plan;
        const policy = partner.resources.find(
            (r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && r.name === "partner-gateway-egress-backend",
        ) as any;
        expect(policy.inputs.spec.egress[0].to.map((t: any) => t.ipBlock.cidr)).toEqual(plannedRanges("backend", environment, cloud));
        expect(partner.stackReferences).toEqual([{ name: `backend-${environment}`, answeredWith: "planned" }]);
    });

    test("the backend stack's plan: a private listener admitting the partner's planned range", () => {
        const backend = runs.get(name)!.workloads.find((w) => w.plan.stack === `backend-${environment}`)!.plan;
        expect(backend.resources.some((r) => r.name.startsWith(`backend-private`))).toBe(true);
        const text = JSON.stringify(backend.resources.filter((r) => r.name.startsWith("backend-private")).map((r) => r.inputs));
        expect(text).toContain(plannedRanges("partner", environment, "onprem")[0]);
    });
});
