/**
 * The configuration of the provider a function is called with, as a real preview's
 * provider is configured: an explicit provider's own arguments, or, for the
 * package's default provider, the stack's `<package>:*` keys. A setting neither
 * gives is read where the provider itself reads it (its environment variables);
 * failing that, the answer uses a stand-in and says so, naming what it stands for.
 */
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";

export interface ProviderConfig {
    /** The package (`aws`). */
    pkg: string;
    /** Settings by key without the package (`region`), as given: strings from a stack file, JSON strings for lists and objects. */
    values: Record<string, unknown>;
    /** The explicit provider's name; undefined for the default provider. */
    explicit?: string;
}

export class ProviderSettings {
    /** What this call's answer stood in for, in words (`the account id: no aws:allowedAccountIds names one`). */
    readonly standInFor: string[] = [];

    constructor(readonly config: ProviderConfig = { pkg: "", values: {} }) {}

    /** Where a setting would come from, for the words of a stand-in. */
    private unset(key: string): string {
        return this.config.explicit ? `provider ${this.config.explicit} sets no ${key}` : `no ${this.config.pkg}:${key} is configured`;
    }

    /** A setting as given, JSON lists and objects parsed; undefined when not given or not known before the provider exists. */
    value(key: string): unknown {
        const value = this.config.values[key];
        if (value === undefined || value === null || value === "" || value === unknownValue) return undefined;
        if (typeof value === "string" && /^\s*[[{]/.test(value)) {
            try {
                return JSON.parse(value);
            } catch {
                return value;
            }
        }
        return value;
    }

    /**
     * A string setting: the provider's own, else the first of its environment
     * variables that is set, else `fallback` recorded as a stand-in for `what`.
     * With no fallback an unset setting is undefined, as the provider leaves it.
     */
    setting(key: string, environment: string[], what: string, fallback: string): string;
    setting(key: string, environment: string[]): string | undefined;
    setting(key: string, environment: string[], what?: string, fallback?: string): string | undefined {
        const given = this.value(key);
        if (typeof given === "string") return given;
        const fromEnvironment = environment.map((name) => process.env[name]).find((v) => v !== undefined && v !== "");
        if (fromEnvironment !== undefined) return fromEnvironment;
        if (fallback === undefined) return undefined;
        this.standIn(`${what} (${this.unset(key)})`);
        return fallback;
    }

    /** Records that the answer holds a value only the cloud knows. */
    standIn(what: string): void {
        if (!this.standInFor.includes(what)) this.standInFor.push(what);
    }
}
