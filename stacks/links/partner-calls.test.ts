/**
 * The partner gateway calls the backend over the link, not the internet: its
 * BACKEND_ENDPOINT is the backend stack's private listener on the cloud the
 * backend's own stack file places it on, and its egress admits exactly the
 * backend's planned ranges there besides the banks'.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { createKit } from "../../components/onprem/kit";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { planMocks } from "pulumi-offline-plan/runtime";
import { fixtureKeys, fixtureSecrets, secretOutputs } from "../../test/fixtures/workloads";
import { plannedRanges, workloadNetwork } from "../address-plan";
import { commonSchema } from "../config";
import { readWorkloadStacks } from "../peers";
import { partner } from "../workloads/partner";

const run = useMockRuntime();
const NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const schema = z.object({ ...commonSchema, ...partner.settings }).strict();
/** What a backend stack exports per cloud: only its private listener's address matters here. */
const privateEndpoint = (stack: string, cloud: string) => `https://${stack}.${cloud}.private.example`;
const backendClouds = (stack: string) => readWorkloadStacks().find((w) => w.name === stack)!.clouds;

beforeAll(async () => {
    // The backend stacks answer their references with a private endpoint per cloud they run on.
    await pulumi.runtime.setMocks(
        planMocks({
            preview: false,
            stackOutputs: (name) =>
                Object.fromEntries(
                    backendClouds(name).map((cloud) => [cloud, { privateEndpoint: privateEndpoint(name, cloud), endpoint: `${name}.public.example` }]),
                ),
        }),
        "multicloud",
        "test",
        false,
    );
});

describe.each(["partner-dev", "partner-prod"] as const)("%s", (stack) => {
    const backend = stack.replace("partner", "backend");
    beforeAll(() => {
        run.reset();
        const settings = schema.parse(fixtureKeys(stack));
        const kit = createKit({ environment: settings.environment, name: `links-${stack}`, region: "onprem" });
        const references = { backend: new pulumi.StackReference(`${stack}-backend`, { name: backend }) };
        partner.build({
            workload: "partner",
            environment: settings.environment,
            cloud: "onprem",
            kit,
            settings,
            secrets: secretOutputs(fixtureSecrets.partner),
            prefix: "partner",
            network: workloadNetwork("partner", settings.environment, "onprem", undefined),
            references,
            stackFile: `stacks/Pulumi.${stack}.yaml`,
        });
    });

    test("BACKEND_ENDPOINT is the backend's private listener on its first cloud, never its public entry point", async () => {
        const deployment = await run.one("kubernetes:apps/v1:Deployment", "partner-gateway");
        const env = deployment.plain.spec.template.spec.containers[0].env as { name: string; value?: string }[];
        expect(env.find((e) => e.name === "BACKEND_ENDPOINT")?.value).toBe(privateEndpoint(backend, backendClouds(backend)[0]));
    });

    test("the gateway's egress admits exactly the backend's planned ranges on the clouds its stack file places it on", async () => {
        const policy = await run.one(NP, "partner-gateway-egress-backend");
        const environment = stack.endsWith("prod") ? "prod" : "dev";
        const expected = backendClouds(backend).flatMap((cloud) => plannedRanges("backend", environment, cloud));
        expect(policy.plain.spec.egress[0].to.map((t: { ipBlock: { cidr: string } }) => t.ipBlock.cidr)).toEqual(expected);
        expect(expected.length).toBeGreaterThan(0);
    });
});
