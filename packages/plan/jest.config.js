/** @type {import('jest').Config} */
module.exports = {
    testEnvironment: "node",
    // Babel strips the types only; `npm test` type-checks with tsc first.
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
    testMatch: ["<rootDir>/test/**/*.test.ts"],
    testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/fixtures/"],
    modulePathIgnorePatterns: ["<rootDir>/test/fixtures/"],
    maxWorkers: 2,
    testTimeout: 60000,
};
