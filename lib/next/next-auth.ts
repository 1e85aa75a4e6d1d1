import { errorField, log } from "@/lib/core/log";

import "server-only";

import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";

import { getDb } from "@/db";
import { endSession, SESSION_MAX_AGE_SECONDS } from "@/lib/auth/sessions";
import { readSignInProof } from "@/lib/auth/sign-in-proof";
import { env } from "@/lib/core/env";

/**
 * next-auth is the session cookie and nothing more: the token carries the user id,
 * the session version and the id of the server-side session (lib/auth/sessions.ts). Who the user is, and what they belong to, is read
 * from the database on every request (lib/next/session.ts).
 */
declare module "next-auth" {
  interface Session {
    userId?: string;
    sessionVersion?: number;
    sessionId?: string;
  }
  interface User {
    sessionVersion?: number;
    sessionId?: string;
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      credentials: { proof: {} },
      authorize(credentials) {
        const proven = readSignInProof(credentials?.proof);
        if (!proven) return null;
        return { id: proven.userId, sessionVersion: proven.sessionVersion, sessionId: proven.sessionId };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        // Only what identifies the session; the name and e-mail are not copied in.
        return { sub: user.id, sv: user.sessionVersion, sid: user.sessionId };
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.userId = token.sub;
      session.sessionVersion = typeof token.sv === "number" ? token.sv : undefined;
      session.sessionId = typeof token.sid === "string" ? token.sid : undefined;
      return session;
    },
  },
  events: {
    // Every sign-out, also through next-auth's own /api/auth/signout, ends the session on the server.
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      if (token?.sub) await endSession(await getDb(), { userId: token.sub, sessionId: token.sid });
    },
  },
  logger: {
    error(error) {
      // A refused proof is an expected answer, not a server error worth a stack trace.
      if (error instanceof CredentialsSignin || (error as { type?: string }).type === "CredentialsSignin") return;
      log.error({ err: errorField(error) }, "auth error");
    },
  },
}));
