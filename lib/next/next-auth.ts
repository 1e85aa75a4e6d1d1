import "server-only";

import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { env } from "@/lib/core/env";
import { readSignInProof } from "@/lib/auth/sign-in-proof";

/**
 * next-auth is the session cookie and nothing more: the token carries the user id
 * and the session version only. Who the user is, and what they belong to, is read
 * from the database on every request (lib/auth/session.ts).
 */
declare module "next-auth" {
  interface Session {
    userId?: string;
    sessionVersion?: number;
  }
  interface User {
    sessionVersion?: number;
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      credentials: { proof: {} },
      authorize(credentials) {
        const proven = readSignInProof(credentials?.proof);
        if (!proven) return null;
        return { id: proven.userId, sessionVersion: proven.sessionVersion };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        // Only what identifies the session; the name and e-mail are not copied in.
        return { sub: user.id, sv: user.sessionVersion };
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.userId = token.sub;
      session.sessionVersion = typeof token.sv === "number" ? token.sv : undefined;
      return session;
    },
  },
  logger: {
    error(error) {
      // A refused proof is an expected answer, not a server error worth a stack trace.
      if (error instanceof CredentialsSignin || (error as { type?: string }).type === "CredentialsSignin") return;
      console.error(error);
    },
  },
}));
