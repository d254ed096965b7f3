import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { IdMappingTableResource } from "../schemas/clean-rooms/id-mapping-table.ts";
import { IdNamespaceAssociationResource } from "../schemas/clean-rooms/id-namespace-association.ts";
import { SchemaMappingResource } from "../schemas/entity-resolution/schema-mapping.ts";
import { PropsValidationError, validateProps } from "./validate.ts";

const MEMBERSHIP = "0b0f6a6e-6a7e-4e0e-9a55-2f1f1b1b1b1b";

describe("validateProps", () => {
  it("rejects the seed docs' IdMappingTable InputReferenceConfig and says what the real shape is", () => {
    // The "Advanced Configuration" example of alchemy.run/providers/aws-control/clean-rooms/id-mapping-table,
    // verbatim shape.
    const props = {
      MembershipIdentifier: MEMBERSHIP,
      Name: "OrderMapping",
      InputReferenceConfig: { ReferenceType: "customer", ReferenceValues: ["customerId", "email"] },
    };
    assert.throws(
      () => validateProps(IdMappingTableResource, "advanced", props),
      (error: unknown) => {
        assert.ok(error instanceof PropsValidationError);
        assert.match(error.message, /AWS::CleanRooms::IdMappingTable "advanced"/);
        assert.match(
          error.message,
          /InputReferenceConfig: unknown properties ReferenceType, ReferenceValues/,
        );
        assert.match(error.message, /InputReferenceArn: "<ARN of an Entity Resolution ID mapping workflow/);
        assert.match(error.message, /ManageResourcePolicies: boolean/);
        return true;
      },
    );
  });

  it("rejects the seed docs' IdNamespaceAssociation { referenceArn } and names the idnamespace ARN", () => {
    const props = {
      MembershipIdentifier: MEMBERSHIP,
      Name: "MyFirstIdNamespaceAssociation",
      InputReferenceConfig: { referenceArn: "arn:aws:cleanrooms:us-east-1:123456789012:input-reference/x" },
    };
    assert.throws(
      () => validateProps(IdNamespaceAssociationResource, "basic", props),
      /ID namespace, arn:aws:entityresolution:…:idnamespace/,
    );
  });

  it("points at InputReferenceConfig when the seed's minimal example leaves it out", () => {
    const props = { MembershipIdentifier: MEMBERSHIP, Name: "CustomerMapping" };
    assert.throws(
      () => validateProps(IdMappingTableResource, "minimal", props),
      /InputReferenceConfig is \{ InputReferenceArn/,
    );
  });

  it("accepts the real shape", () => {
    validateProps(IdMappingTableResource, "ok", {
      MembershipIdentifier: MEMBERSHIP,
      Name: "crm_mapping",
      InputReferenceConfig: {
        InputReferenceArn: "arn:aws:entityresolution:us-east-1:000000000000:idmappingworkflow/crm",
        ManageResourcePolicies: true,
      },
    });
  });

  it("names the path, never the value", () => {
    const secretish = "jane.doe@example.com";
    assert.throws(
      () =>
        validateProps(SchemaMappingResource, "m", {
          SchemaName: secretish,
          MappedInputFields: [{ FieldName: "id", Type: "UNIQUE_ID" }],
        }),
      (error: unknown) => {
        assert.ok(error instanceof PropsValidationError);
        assert.match(error.message, /SchemaName:/);
        assert.match(error.message, /MappedInputFields:/);
        assert.ok(!error.message.includes(secretish));
        return true;
      },
    );
  });

  it("lets plan skip values only known after up", () => {
    const props = {
      SchemaName: "(known after up): x.SchemaName",
      MappedInputFields: [
        { FieldName: "id", Type: "UNIQUE_ID" },
        { FieldName: "e", Type: "EMAIL_ADDRESS" },
      ],
    };
    assert.throws(() => validateProps(SchemaMappingResource, "m", props), PropsValidationError);
    validateProps(SchemaMappingResource, "m", props, (path) => path[0] === "SchemaName");
  });
});
