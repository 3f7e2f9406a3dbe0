/**
 * Components a program asks a component provider to build (`remote: true`, as the
 * generated SDKs of awsx and eks register theirs). Under the engine the provider
 * builds them (Construct) and registers their children; offline:
 *
 * - a provider whose code the project points at (Pulumi.yaml `plugins.providers`
 *   path or a local `packages` entry: a Node.js plugin with PulumiPlugin.yaml) is
 *   run in the program's own process, as `run-plugin` would host it, and its
 *   children are planned like the program's own;
 * - any other provider is a plugin binary the plan cannot run (awsx and eks ship
 *   theirs as `pulumi-resource-awsx` and `pulumi-resource-eks`): the component is
 *   registered alone and the plan says that its children are unknown.
 */
import type { ComponentResource, ComponentResourceOptions, Input, Inputs } from "@pulumi/pulumi";
import type { RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import type { Provider } from "@pulumi/pulumi/provider";
import type { ComponentResourceConstructor } from "@pulumi/pulumi/provider/experimental/provider";
import type * as resourceModule from "@pulumi/pulumi/resource";
import type { Map as ProtobufMap } from "google-protobuf";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as fs from "node:fs";
import * as path from "node:path";
import type { LocalProvider } from "../project";
import { pulumiInternals, type Construction } from "./capture";

/** A module of the SDK that exports the provider host's `main`, which a provider's code calls to serve. */
interface ProviderHost {
    main: (this: void, provider: Provider, args: string[]) => Promise<void>;
}

/** What this reads of the SDK's modules beyond their declarations. */
interface ProviderServer extends ProviderHost {
    deserializeInputs(inputs: Struct | undefined, dependencies: ProtobufMap<string, RegisterResourceRequest.PropertyDependencies>): Promise<Inputs>;
}
interface OutputModule {
    output(value: Input<string>): { promise(): Promise<string> };
    Output: { isInstance(value: unknown): boolean };
}

export function componentProviders(pulumiDir: string, local: Record<string, LocalProvider>) {
    const { load, rpc, struct } = pulumiInternals(pulumiDir);
    const loaded = new Map<string, Provider | string>();

    /** Loads a local provider's code as `run-plugin` does, with the SDK's `main` kept from serving: the provider, or why it cannot run here. */
    function providerOf(pkg: string): Provider | string {
        const source = local[pkg];
        if (!source) {
            return `its provider is the plugin pulumi-resource-${pkg}, a binary the offline plan cannot run: the children it would create are unknown`;
        }
        const manifest = ["PulumiPlugin.yaml", "PulumiPlugin.yml"].map((f) => path.join(source.dir, f)).find((f) => fs.existsSync(f))!;
        const runtime = /^runtime:\s*(?:\n\s+name:\s*)?(\S+)/m.exec(fs.readFileSync(manifest, "utf8"))?.[1];
        if (runtime !== "nodejs")
            return `its provider (${path.relative(process.cwd(), source.dir)}, from ${source.from}) runs on ${runtime ?? "an unnamed runtime"}, not Node.js`;
        let sdk: string;
        try {
            sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [source.dir] }));
        } catch {
            return `its provider (${path.relative(process.cwd(), source.dir)}) has no @pulumi/pulumi installed`;
        }
        if (fs.realpathSync(sdk) !== fs.realpathSync(pulumiDir)) {
            return `its provider (${path.relative(process.cwd(), source.dir)}) loads its own copy of @pulumi/pulumi, which the offline plan cannot join to the program's`;
        }
        // `pulumi.provider.main` is a copy of the server's export: both are kept from serving while the code loads.
        const exporters = [load("./provider/server.js"), load("./provider/index.js")] as ProviderHost[];
        const hosting = exporters.map((m) => m.main);
        let served: Provider | undefined;
        for (const m of exporters) {
            m.main = (provider) => {
                served = provider;
                return Promise.resolve();
            };
        }
        let exported: unknown;
        try {
            // oxlint-disable-next-line typescript/no-require-imports -- the provider's code is found at run time, from Pulumi.yaml
            exported = require(source.dir);
        } finally {
            exporters.forEach((m, i) => (m.main = hosting[i]));
        }
        if (served) return served;
        // A source-based component package: its exported component classes, hosted as `run-plugin` hosts them.
        const experimental = load("./provider/experimental/provider.js") as { getPulumiComponents(moduleExports: unknown): ComponentResourceConstructor[] };
        const components = experimental.getPulumiComponents(exported);
        if (components.length === 0) return `its provider (${path.relative(process.cwd(), source.dir)}) exports no component and starts no provider`;
        const name = (JSON.parse(fs.readFileSync(path.join(source.dir, "package.json"), "utf8")) as { name: string }).name;
        const providerName = /^(?:@[^/]+\/)?(.+)$/.exec(name)![1].replace(/[^-a-zA-Z0-9_]/g, "-");
        return sourceBasedProvider(providerName, components);
    }

    /**
     * The SDK's host for a source-based package builds a component with its class and
     * returns its Output properties; it lists them from a TypeScript analysis of the
     * package (seconds, and the SDKs' declarations in memory), where the instance's own
     * Output properties name the same ones.
     */
    function sourceBasedProvider(providerName: string, components: ComponentResourceConstructor[]): Provider {
        const { Output } = load("./output.js") as OutputModule;
        const classes = new Map(components.map((c) => [c.name, c]));
        return {
            version: "",
            async construct(name: string, type: string, inputs: Inputs, options: ComponentResourceOptions) {
                const [pkg, module, className] = type.split(":");
                const component = classes.get(className);
                if (pkg !== providerName || (module !== "index" && module !== "") || !component) {
                    throw new Error(`${type} is no component of the package ${providerName} (it exports ${[...classes.keys()].join(", ")})`);
                }
                const instance: ComponentResource = new component(name, inputs, options);
                const state = Object.fromEntries(
                    Object.entries(instance).filter(([key, value]) => key !== "urn" && !key.startsWith("__") && Output.isInstance(value)),
                );
                return { urn: instance.urn, state };
            },
        };
    }

    return {
        /**
         * Builds the remote component the request registers, as the provider's
         * Construct would with the same inputs and options, and answers the
         * registration with the component's URN and outputs.
         */
        async construct(req: RegisterResourceRequest): Promise<Construction> {
            const type = req.getType();
            const pkg = type.split(":")[0];
            let provider = loaded.get(pkg);
            if (provider === undefined) {
                provider = providerOf(pkg);
                loaded.set(pkg, provider);
            }
            if (typeof provider === "string") return { built: false, reason: provider };
            if (!provider.construct) return { built: false, reason: `its provider implements no Construct` };
            const resource = load("./resource.js") as typeof resourceModule;
            const { RegisterResourceResponse: ResponseMessage } = load("./proto/resource_pb.js") as {
                RegisterResourceResponse: typeof RegisterResourceResponse;
            };
            const server = load("./provider/server.js") as ProviderServer;
            const inputs = await server.deserializeInputs(req.getObject(), req.getPropertydependenciesMap());
            const providers: Record<string, resourceModule.ProviderResource> = {};
            req.getProvidersMap().forEach((ref, name) => (providers[name] = new resource.DependencyProviderResource(ref)));
            const options: ComponentResourceOptions = {
                parent: req.getParent() ? new resource.DependencyResource(req.getParent()) : undefined,
                dependsOn: req.getDependenciesList().map((urn) => new resource.DependencyResource(urn)),
                providers,
                protect: req.getProtect(),
                aliases: req.getAliasurnsList(),
                ignoreChanges: req.getIgnorechangesList(),
                replaceOnChanges: req.getReplaceonchangesList(),
                retainOnDelete: req.getRetainondelete(),
            };
            const result = await provider.construct(req.getName(), type, inputs, options);
            const [state] = await rpc.serializeResourceProperties(`construct(${type}, ${req.getName()})`, result.state);
            const response = new ResponseMessage();
            response.setUrn(await (load("./output.js") as OutputModule).output(result.urn).promise());
            response.setId("");
            response.setObject(struct.Struct.fromJavaScript(state));
            return { built: true, response };
        },
    };
}
