/**
 * The resource options a program gave each resource, beside what the mock
 * runtime records: its record of a registration carries no custom timeouts.
 * A transformation on a parent sees every descendant's options as given, so a
 * component built with `transformations` (or under a parent that has them)
 * shows the options of everything it creates.
 *
 *   const options = registeredOptions();
 *   new VmGroup("web", args, { transformations: options.transformations });
 *   options.of("kubernetes:apps/v1:Deployment", "web-deployment").customTimeouts;
 */
import * as pulumi from "@pulumi/pulumi";

export function registeredOptions() {
    const seen = new Map<string, pulumi.ResourceOptions & { customTimeouts?: pulumi.CustomTimeouts }>();
    const key = (type: string, name: string) => `${type}::${name}`;
    const record: pulumi.ResourceTransformation = ({ type, name, opts }) => {
        seen.set(key(type, name), opts);
        return undefined;
    };
    return {
        transformations: [record],
        /** The options of the resource of this type and name; fails the test when none was registered. */
        of(type: string, name: string) {
            const options = seen.get(key(type, name));
            if (!options) throw new Error(`no ${type} named ${name} was registered under the recorder`);
            return options;
        },
    };
}
