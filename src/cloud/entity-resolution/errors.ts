import { AwsError } from "../aws-error.ts";

/** ER's ConflictException: its model (botocore entityresolution/2018-05-10) sends it with HTTP 400, not 409. */
export const conflict = (message: string) => new AwsError("ConflictException", message, 400);
