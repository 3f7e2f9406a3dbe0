import { PolicyPack } from "@pulumi/policy";

new PolicyPack("multicloud", {
    policies: [
        {
            name: "efs-encrypted",
            description: "EFS file systems must be encrypted at rest. Set `encrypted: true`.",
            enforcementLevel: "mandatory",
            validateResource: (args, reportViolation) => {
                if (args.type === "aws:efs/fileSystem:FileSystem" && args.props.encrypted !== true) {
                    reportViolation("EFS file system is not encrypted at rest.");
                }
            },
        },
    ],
});
