{
  "name": "idbridge",
  "version": "0.1.0",
  "description": "Bring first-party identity data into Amazon Marketing Cloud through AWS Clean Rooms and Entity Resolution — offline first, then unchanged on AWS.",
  "type": "module",
  "license": "Apache-2.0",
  "engines": {
    "node": "^20.19.0 || ^22.13.0 || >=24.0.0"
  },
  "types": "./dist/index.d.ts",
  "exports": {
    ".": {
      "types": "./dist/index.d.ts",
      "import": "./dist/index.js"
    },
    "./aws/control": {
      "types": "./dist/iac/aws/control.d.ts",
      "import": "./dist/iac/aws/control.js"
    },
    "./package.json": "./package.json"
  },
  "bin": {
    "idbridge": "dist/cli/bin.js"
  },
  "files": [
    "dist",
    "native/*.c",
    "native/*.h",
    "native/build.mjs"
  ],
  "scripts": {
    "build": "node scripts/build.mjs",
    "prepare": "node scripts/build.mjs",
    "test": "node --import tsx --test --test-concurrency=2 $(find src -name \"*.test.ts\" | sort)",
    "typecheck": "tsc --noEmit",
    "lint": "biome check src bench test",
    "format": "biome format --write src bench test",
    "bench": "node --import tsx bench/run.ts",
    "install": "node native/build.mjs",
    "schemas:snapshot": "python3 scripts/snapshot-cfn-schemas.py",
    "schemas:generate": "node --import tsx scripts/generate-cfn-zod.ts"
  },
  "dependencies": {
    "@aws-sdk/client-cleanrooms": "^3.1048.0",
    "@aws-sdk/client-cloudcontrol": "^3.1142.0",
    "@aws-sdk/client-entityresolution": "^3.1048.0",
    "@aws-sdk/client-glue": "^3.1169.0",
    "@aws-sdk/client-iam": "^3.1169.0",
    "@aws-sdk/client-s3": "^3.1169.0",
    "@duckdb/node-api": "^1.5.6-r.1",
    "@faker-js/faker": "^10.6.0",
    "@smithy/protocol-http": "^5.6.2",
    "@smithy/signature-v4": "^5.7.5",
    "commander": "^14.0.3",
    "fast-xml-parser": "^5.12.1",
    "i18n-iso-countries": "^7.14.0",
    "libphonenumber-js": "^1.13.16",
    "proper-lockfile": "^4.1.2",
    "rfc6902": "^5.4.0",
    "tsx": "^4.23.15",
    "write-file-atomic": "^6.0.0",
    "zod": "^4.6.7"
  },
  "devDependencies": {
    "@biomejs/biome": "^2.6.8",
    "@smithy/hash-node": "^4.5.2",
    "@types/node": "^20.19.43",
    "@types/proper-lockfile": "^4.1.4",
    "@types/write-file-atomic": "^4.0.3",
    "ajv": "^8.20.0",
    "esbuild": "^0.28.2",
    "playwright-core": "^1.65.1",
    "typescript": "~5.9.3"
  },
  "allowScripts": {
    "esbuild": false
  }
}
