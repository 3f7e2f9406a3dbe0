/** @type {import('jest').Config} */
module.exports = {
    testEnvironment: "node",
    // Babel strips the types only (pure JavaScript, no native binary); `npm test` type-checks beside Jest, through the linter.
    transform: {
        "^.+\\.ts$": [
            "babel-jest",
            {
                presets: [["@babel/preset-typescript", { allowDeclareFields: true }]],
                plugins: ["@babel/plugin-transform-modules-commonjs"],
                babelrc: false,
                configFile: false,
            },
        ],
    },
    testMatch: ["<rootDir>/**/*.test.ts"],
    testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/fixtures/", "<rootDir>/packages/plan/test/fixtures/"],
    modulePathIgnorePatterns: ["<rootDir>/test/fixtures/", "<rootDir>/packages/plan/test/fixtures/"],
    maxWorkers: 2,
    testTimeout: 60000,
    // @pulumi/pulumi's closure serializer reads packages with modules that load at their first use, not in every test file.
    setupFiles: ["<rootDir>/test/helpers/deferred-sdk-modules.ts"],
    globalSetup: "<rootDir>/test/global-setup.ts",
    globalTeardown: "<rootDir>/test/global-teardown.ts",
};
