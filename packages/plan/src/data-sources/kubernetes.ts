import { parseAllDocuments } from "yaml";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import type { DataSourceAnswer } from "./index";

export const kubernetes: Record<string, DataSourceAnswer> = {
    // The provider decodes locally, so the offline answer is the real one: every non-empty document, in order.
    "kubernetes:yaml:decode": (inputs) => {
        const documents = parseAllDocuments(typeof inputs.text === "string" ? inputs.text : "");
        const objects: unknown[] = [];
        for (const document of documents) {
            if (document.errors.length) throw new Error(`the YAML does not parse: ${document.errors[0].message}`);
            const value = document.toJS();
            if (value !== null && value !== undefined) objects.push(value);
        }
        return { result: objects };
    },
};

/**
 * Rendering a chart or a kustomization needs the provider's helm and kustomize
 * and often a registry: offline, the objects they would give are unknown.
 */
export const kubernetesStandIns: Record<string, DataSourceAnswer> = {
    "kubernetes:helm:template": () => ({ result: unknownValue }),
    "kubernetes:kustomize:directory": () => ({ result: unknownValue }),
};
