/**
 * Records every resource a Pulumi program registers under the SDK's mock runtime,
 * with what the engine would see: URN, parent, provider, resource options and the
 * inputs in wire form (secrets and unknowns kept as the protocol's markers).
 *
 * `MockResourceArgs` carries neither the resource options nor the secret markers,
 * so this wraps the mock monitor's `registerResource`, which receives the full
 * `RegisterResourceRequest`. The mock monitor also runs no transforms (a resource's
 * own, its ancestors' or the stack's); the engine does, so this does too.
 */
import type * as pulumiModule from "@pulumi/pulumi";
import type { CustomResourceOptions, Inputs, ResourceTransform } from "@pulumi/pulumi";
import type { CallResponse } from "@pulumi/pulumi/proto/provider_pb";
import type {
    ReadResourceRequest,
    ReadResourceResponse,
    RegisterResourceRequest,
    RegisterResourceResponse,
    ResourceCallRequest,
} from "@pulumi/pulumi/proto/resource_pb";
import type * as mocksModule from "@pulumi/pulumi/runtime/mocks";
import type * as rpcModule from "@pulumi/pulumi/runtime/rpc";
import type * as settingsModule from "@pulumi/pulumi/runtime/settings";
import type * as structModule from "google-protobuf/google/protobuf/struct_pb";
import { createRequire } from "node:module";
import * as path from "node:path";
import { aliasUrns } from "./aliases";

/** The protocol's markers, as the engine sends them to an analyzer. */
export const secretSigKey = "4dabf18193072939515e22adb298388d";
export const secretSig = "1b47061264138c4ac30d75fd1eb44270";
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface RemoteComponent {
    planned: boolean;
    /** Why its children are not planned. */
    reason?: string;
}

export interface ResourceOptionsSeen {
    protect: boolean;
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    replaceOnChanges: string[];
    additionalSecretOutputs: string[];
    /** As the program gave them (URNs or specs); a recorded resource holds them as URNs, its parent's inherited ones included. */
    aliases: unknown[];
    dependsOn: string[];
}

export interface CapturedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** True for `Resource.get` reads of existing resources. */
    read: boolean;
    parent?: string;
    /** Provider reference, `<provider urn>::<provider id>`. */
    provider?: string;
    /** The id, where a preview knows it: a resource read (`Resource.get`) or imported. */
    id?: string;
    /** For each input property that came from other resources, those resources (every one is among `options.dependsOn`). */
    propertyDependencies?: Record<string, string[]>;
    /**
     * A component a component provider builds (`remote: true`): whether the plan built
     * it too (its children are then planned), and if not, why.
     */
    remote?: RemoteComponent;
    options: ResourceOptionsSeen;
    /** Inputs in wire form: secrets as `{ [secretSigKey]: secretSig, value }`, unknowns as `unknownValue`. */
    inputs: Record<string, unknown>;
}

/** The SDK's settings module: `waitForRPCs` is exported by its JavaScript but left out of its declarations. */
type SettingsModule = typeof settingsModule & { waitForRPCs(): Promise<void> };

/** Loads modules of the same @pulumi/pulumi copy that the program uses (and the protobuf runtime that copy resolves). */
export function pulumiInternals(pulumiDir: string) {
    const load = createRequire(path.join(pulumiDir, "package.json"));
    return {
        pulumi: load("./index.js") as typeof pulumiModule,
        mocks: load("./runtime/mocks.js") as typeof mocksModule,
        rpc: load("./runtime/rpc.js") as typeof rpcModule,
        settings: load("./runtime/settings.js") as SettingsModule,
        struct: load("google-protobuf/google/protobuf/struct_pb.js") as typeof structModule,
        load,
    };
}

/** The options of a resource registered without any: a provider the engine makes, a resource read. */
const noOptions = (dependsOn: string[] = []): ResourceOptionsSeen => ({
    protect: false,
    retainOnDelete: false,
    deleteBeforeReplace: false,
    ignoreChanges: [],
    replaceOnChanges: [],
    additionalSecretOutputs: [],
    aliases: [],
    dependsOn,
});

function optionsOf(req: RegisterResourceRequest): ResourceOptionsSeen {
    return {
        protect: Boolean(req.getProtect()),
        retainOnDelete: Boolean(req.getRetainondelete()),
        deleteBeforeReplace: req.getDeletebeforereplace(),
        ignoreChanges: req.getIgnorechangesList(),
        replaceOnChanges: req.getReplaceonchangesList(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        aliases: [...req.getAliasurnsList(), ...req.getAliasesList().map((a) => a.toObject())],
        dependsOn: req.getDependenciesList(),
    };
}

/**
 * The request's property dependencies: the SDK lists every input property, most
 * depending on nothing; only those that depend on a resource are kept (the JSON
 * writes the others back as the engine does).
 */
function propertyDependenciesOf(req: RegisterResourceRequest): Record<string, string[]> | undefined {
    const out: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
        const urns = deps.getUrnsList();
        if (urns.length > 0) out[key] = urns;
    });
    return Object.keys(out).length > 0 ? out : undefined;
}

/** How a remote component was built: by its component provider's code here, or not (and why). */
export type Construction = { built: true; response: RegisterResourceResponse } | { built: false; reason: string };

export interface CaptureOptions {
    /**
     * Register the engine's default provider of a package for every custom resource
     * that names none, with the stack's configuration of that package as inputs.
     */
    defaultProviders?: { stack: string; project: string; config: Record<string, string>; secretKeys: string[] };
    /** Fills the names a provider would assign in Check (see auto-naming.ts). */
    autoName?: (type: string, urn: string, inputs: Record<string, unknown>) => Record<string, unknown>;
    /** Told of each resource as it is recorded: its inputs are final once registered. */
    onResource?: (resource: CapturedResource) => void;
    /**
     * Builds a remote component the way its component provider would, when the
     * provider can run here (component-providers.ts); otherwise says why not.
     */
    construct?: (req: RegisterResourceRequest) => Promise<Construction>;
    /** Told of each method call on a remote component (`pulumi.runtime.call`): its provider answers it, so offline its result is unknown. */
    onMethodCall?: (token: string) => void;
}

/** Why a remote component's children are unknown when no one said how to build it. */
const notBuilt = "its component provider is a plugin the offline plan cannot run: the children it would create are unknown";

/**
 * The engine's default provider of a package (`pulumi:providers:aws::default_7_48_0`):
 * its inputs are the stack's `<package>:*` configuration, keys without the package,
 * values as the stack file spells them, plus the SDK's version.
 */
export function defaultProvider(
    pkg: string,
    version: string,
    stack: { stack: string; project: string; config: Record<string, string>; secretKeys: string[] },
): CapturedResource {
    const name = version ? `default_${version.replace(/[.\-+]/g, "_")}` : "default";
    const type = `pulumi:providers:${pkg}`;
    const secret = new Set(stack.secretKeys);
    const inputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(stack.config)) {
        if (!key.startsWith(`${pkg}:`)) continue;
        inputs[key.slice(pkg.length + 1)] = secret.has(key) ? { [secretSigKey]: secretSig, value } : value;
    }
    if (version) inputs.version = version;
    return {
        urn: `urn:pulumi:${stack.stack}::${stack.project}::${type}::${name}`,
        type,
        name,
        custom: true,
        read: false,
        options: noOptions(),
        inputs,
    };
}

/** A provider reference as the engine writes it: `<urn>::<id>`, the id unknown until the provider is created. */
export const providerReference = (providerUrn: string) => `${providerUrn}::${unknownValue}`;

type Callback<T> = (err: unknown, response: T | undefined) => void;

/** The mock monitor as its JavaScript is: its transform callbacks and `newUrn` are private only in its declarations. */
interface MonitorInternals {
    readonly transformCallbacks: Map<string, ResourceTransform>;
    newUrn(parent: string, type: string, name: string): string;
}

/**
 * The mock monitor's methods this wraps, as the prototype's slots they are (the
 * originals are kept to be called on the monitor, and put back); `call` it lacks:
 * a method call goes to a component provider.
 */
interface MonitorMethods {
    registerResource: (this: MonitorInternals, req: RegisterResourceRequest, callback: Callback<RegisterResourceResponse>) => Promise<void>;
    readResource: (this: MonitorInternals, req: ReadResourceRequest, callback: Callback<ReadResourceResponse>) => Promise<void>;
    call?: (this: MonitorInternals, req: ResourceCallRequest, callback: Callback<CallResponse>) => void;
}

/**
 * Wraps the mock monitor of the given @pulumi/pulumi copy. Returns the list that
 * fills as the program runs, and a hook for the mocks' `registerTransform`.
 */
export function installCapture(pulumiDir: string, captureOptions: CaptureOptions = {}) {
    const { mocks, rpc, struct, load } = pulumiInternals(pulumiDir);
    const resources: CapturedResource[] = [];
    /** Each recorded resource's aliases as URNs: its children inherit them. */
    const aliasesByUrn = new Map<string, string[]>();
    const recorded = (resource: CapturedResource) => {
        // The engine resolves aliases at registration, a parent's before its children's; a read has none.
        if (!resource.read) {
            resource.options.aliases = aliasUrns(resource, (resource.parent && aliasesByUrn.get(resource.parent)) || []);
            aliasesByUrn.set(resource.urn, resource.options.aliases as string[]);
        }
        resources.push(resource);
        captureOptions.onResource?.(resource);
    };
    const stackTransforms: ResourceTransform[] = [];
    /**
     * What the engine keeps of each registered resource to find the transforms that
     * reach a resource beneath it (source_eval.go, RegisterResource): its own
     * transforms (`resourceTransforms`) and its parent (`parents`).
     */
    const transformsByUrn = new Map<string, ResourceTransform[]>();
    const parentByUrn = new Map<string, string>();
    /**
     * A remote component's own transforms, kept for the registration its provider
     * makes of the same component (the engine's `pendingTransforms`, by parent, type
     * and name): they then reach the children the provider builds.
     */
    const pendingTransforms = new Map<string, ResourceTransform[]>();
    const proto = mocks.MockMonitor.prototype as unknown as MonitorMethods;
    const originalRegister = proto.registerResource;
    const originalRead = proto.readResource;

    async function applyTransforms(req: RegisterResourceRequest, transforms: ResourceTransform[]): Promise<void> {
        if (transforms.length === 0) return;
        const object = req.getObject();
        let props: Inputs = object ? rpc.deserializeProperties(object, true) : {};
        let opts: CustomResourceOptions = {
            protect: req.getProtect(),
            ignoreChanges: req.getIgnorechangesList(),
            retainOnDelete: req.getRetainondelete(),
            deleteBeforeReplace: req.getDeletebeforereplace(),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            replaceOnChanges: req.getReplaceonchangesList(),
        };
        for (const transform of transforms) {
            const result = await transform({ type: req.getType(), name: req.getName(), custom: req.getCustom(), props, opts });
            if (result) {
                // A transform written in JavaScript may return only what it changed.
                props = result.props ?? props;
                opts = { ...opts, ...result.opts };
            }
        }
        const serialized = await rpc.serializeProperties(`transform(${req.getName()})`, props, { keepOutputValues: false });
        req.setObject(struct.Struct.fromJavaScript(serialized));
        if (typeof opts.protect === "boolean") req.setProtect(opts.protect);
        if (Array.isArray(opts.ignoreChanges)) req.setIgnorechangesList(opts.ignoreChanges);
        if (typeof opts.retainOnDelete === "boolean") req.setRetainondelete(opts.retainOnDelete);
        if (typeof opts.deleteBeforeReplace === "boolean") req.setDeletebeforereplace(opts.deleteBeforeReplace);
    }

    /**
     * The transforms the engine runs on a registration, in its order: the resource's
     * own, then its parent's, its grandparent's and so on up to the stack, then the
     * stack transforms. Its own are kept for the resources beneath it.
     */
    function transformsFor(monitor: MonitorInternals, req: RegisterResourceRequest, remote: boolean): { own: ResourceTransform[]; all: ResourceTransform[] } {
        const parent = req.getParent();
        const pendingKey = `${parent}::${req.getType()}::${req.getName()}`;
        let own = pendingTransforms.get(pendingKey);
        if (own) {
            pendingTransforms.delete(pendingKey);
        } else {
            own = req
                .getTransformsList()
                .map((cb) => monitor.transformCallbacks.get(cb.getToken()))
                .filter((t): t is ResourceTransform => t !== undefined);
            if (remote && own.length > 0) pendingTransforms.set(pendingKey, own);
        }
        const ancestors: ResourceTransform[] = [];
        for (let current = parent; current; current = parentByUrn.get(current) ?? "") ancestors.push(...(transformsByUrn.get(current) ?? []));
        return { own, all: [...own, ...ancestors, ...stackTransforms] };
    }

    const defaults = new Map<string, CapturedResource>();
    /** Remote components by URN: how each was built, and the provider that builds it. */
    const remotes = new Map<string, RemoteComponent & { provider?: string }>();
    /**
     * The provider reference of a custom resource or a remote component (its component
     * provider), registering the package's default provider when it names none.
     */
    function providerOf(request: { type: string; given: string; version: string; custom: boolean; remote: boolean }): string | undefined {
        const { type, given, version, custom, remote } = request;
        const stack = captureOptions.defaultProviders;
        if (given || (!custom && !remote) || !stack || type.startsWith("pulumi:providers:")) return given || undefined;
        const pkg = type.split(":")[0];
        const key = `${pkg}@${version}`;
        let provider = defaults.get(key);
        if (!provider) {
            provider = defaultProvider(pkg, version, stack);
            defaults.set(key, provider);
            recorded(provider);
        }
        return providerReference(provider.urn);
    }

    /** Records a registration once the monitor has answered it; its own transforms are kept for its children. */
    function recordRegistration(
        req: RegisterResourceRequest,
        own: ResourceTransform[],
        callback: Callback<RegisterResourceResponse>,
    ): Callback<RegisterResourceResponse> {
        return (err, res) => {
            if (!err && res) {
                const urn = res.getUrn();
                const custom = req.getCustom();
                const type = req.getType();
                const parent = req.getParent();
                if (parent) parentByUrn.set(urn, parent);
                transformsByUrn.set(urn, own);
                const built = remotes.get(urn);
                const remote = !custom && req.getRemote();
                const provider = built?.provider ?? providerOf({ type, given: req.getProvider(), version: req.getVersion(), custom, remote });
                const id = req.getImportid();
                const propertyDependencies = propertyDependenciesOf(req);
                recorded({
                    urn,
                    type,
                    name: req.getName(),
                    custom,
                    read: false,
                    parent: parent || undefined,
                    provider,
                    ...(id ? { id } : {}),
                    ...(propertyDependencies ? { propertyDependencies } : {}),
                    ...(built ? { remote: built.reason ? { planned: false, reason: built.reason } : { planned: true } } : {}),
                    options: optionsOf(req),
                    inputs: req.getObject()?.toJavaScript() ?? {},
                });
            }
            callback(err, res);
        };
    }

    function recordRead(req: ReadResourceRequest, callback: Callback<ReadResourceResponse>): Callback<ReadResourceResponse> {
        return (err, res) => {
            if (!err && res) {
                const type = req.getType();
                recorded({
                    urn: res.getUrn(),
                    type,
                    name: req.getName(),
                    custom: true,
                    read: true,
                    parent: req.getParent() || undefined,
                    provider: providerOf({ type, given: req.getProvider(), version: req.getVersion(), custom: true, remote: false }),
                    ...(req.getId() ? { id: req.getId() } : {}),
                    options: noOptions(req.getDependenciesList()),
                    inputs: req.getProperties()?.toJavaScript() ?? {},
                });
            }
            callback(err, res);
        };
    }

    proto.registerResource = async function (req, callback) {
        const remote = !req.getCustom() && req.getRemote();
        let own: ResourceTransform[];
        try {
            const transforms = transformsFor(this, req, remote);
            own = transforms.own;
            await applyTransforms(req, transforms.all);
            if (remote) {
                const urn = this.newUrn(req.getParent(), req.getType(), req.getName());
                const provider = providerOf({ type: req.getType(), given: req.getProvider(), version: req.getVersion(), custom: false, remote });
                // Known before the provider registers the component itself, so that registration is recorded as this one.
                remotes.set(urn, { planned: true, provider });
                const construction: Construction = captureOptions.construct ? await captureOptions.construct(req) : { built: false, reason: notBuilt };
                if (construction.built) {
                    callback(null, construction.response);
                    return;
                }
                remotes.set(urn, { planned: false, reason: construction.reason, provider });
            }
            if (captureOptions.autoName && req.getCustom() && !req.getType().startsWith("pulumi:providers:")) {
                // The provider's Check fills the name before the engine asks policies and before
                // the program sees the outputs; the mock echoes what it is given, so fill it here.
                const urn = this.newUrn(req.getParent(), req.getType(), req.getName());
                const inputs: Record<string, unknown> = req.getObject()?.toJavaScript() ?? {};
                req.setObject(
                    struct.Struct.fromJavaScript(captureOptions.autoName(req.getType(), urn, inputs) as Record<string, structModule.JavaScriptValue>),
                );
            }
        } catch (err) {
            callback(err, undefined);
            return;
        }
        return originalRegister.call(this, req, recordRegistration(req, own, callback));
    };
    proto.readResource = function (req, callback) {
        return originalRead.call(this, req, recordRead(req, callback));
    };
    // A method of a remote component runs in its provider; the mock monitor has none, so answer what a preview
    // cannot know yet: an unknown, which the SDK spreads to the whole result.
    const originalCall = proto.call;
    const CallResponseMessage = (load("./proto/provider_pb.js") as { CallResponse: typeof CallResponse }).CallResponse;
    proto.call = function (req, callback) {
        captureOptions.onMethodCall?.(req.getTok());
        const response = new CallResponseMessage();
        response.setReturn(struct.Struct.fromJavaScript({ result: unknownValue }));
        callback(null, response);
    };

    return {
        resources,
        registerTransform(transform: ResourceTransform) {
            stackTransforms.push(transform);
        },
        uninstall() {
            proto.registerResource = originalRegister;
            proto.readResource = originalRead;
            proto.call = originalCall;
        },
    };
}

/** Replaces protocol markers for display: secrets become "[secret]", unknowns "[unknown]". */
export function maskForDisplay(value: unknown): unknown {
    if (value === unknownValue) return "[unknown]";
    if (Array.isArray(value)) return value.map(maskForDisplay);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[secretSigKey] === secretSig) return "[secret]";
        const signature = obj[secretSigKey];
        if (typeof signature === "string") {
            // Assets, archives and resource references: keep their kind, never their content.
            return `[${signature.slice(0, 8)}]`;
        }
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, maskForDisplay(v)]));
    }
    return value;
}

/** Unwraps secret markers (as the policy SDK does for policies); unknowns stay `unknownValue`. */
export function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[secretSigKey] === secretSig) return unwrapSecrets(obj.value);
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}

/** True when the value, anywhere inside, holds a secret marker. */
export function containsSecret(value: unknown): boolean {
    if (Array.isArray(value)) return value.some(containsSecret);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[secretSigKey] === secretSig) return true;
        return Object.values(obj).some(containsSecret);
    }
    return false;
}
