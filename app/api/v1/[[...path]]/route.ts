import { unknownEndpoint } from "@/lib/api/errors";

export const dynamic = "force-dynamic";

// Paths under /api/v1 that name no endpoint answer in the API's own JSON shape.
export const GET = unknownEndpoint;
export const POST = unknownEndpoint;
export const PUT = unknownEndpoint;
export const PATCH = unknownEndpoint;
export const DELETE = unknownEndpoint;
