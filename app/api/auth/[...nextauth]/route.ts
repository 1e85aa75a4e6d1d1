import { handlers } from "@/lib/next/next-auth";

export const { GET, POST } = handlers;
