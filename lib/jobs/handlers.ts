import "server-only";

import type { Db } from "@/db";
import type { JobQueue } from "@/db/job-queue";
import { runInvoiceCharge } from "@/lib/billing/charges";
import { runBillingCycle } from "@/lib/billing/cycle";
import { paymentProvider, type PaymentProvider } from "@/lib/billing/provider";
import { runCustomerDeletion, runCustomerUpdate, runPaymentMethodDetach } from "@/lib/billing/provider-jobs";
import { stripeClientOf } from "@/lib/billing/stripe";
import { runFinalInvoice, runInvoiceUsage, runSubscriptionSync } from "@/lib/billing/stripe-billing";
import { errorField, log } from "@/lib/core/log";
import { deliverEmail } from "@/lib/mail/deliver";

import { purgeExpired, reconcileProviderCustomers, trimRateLimits } from "./maintenance";
import type { JobPayloads } from "./queue";

/** A job as its handler sees it: `retryCount` runs before this one, out of `retryLimit` retries. */
export interface RunningJob<Q extends JobQueue = JobQueue> {
  id: string;
  name: Q;
  data: JobPayloads[Q];
  retryCount: number;
  retryLimit: number;
}

/** What handlers reach outside the database; tests give their own fake provider. */
export interface JobDependencies {
  provider?: PaymentProvider;
}

type Handlers = { [Q in JobQueue]: (db: Db, job: RunningJob<Q>, deps: JobDependencies) => Promise<unknown> };

/** One handler per queue. Each is idempotent: a job may run again after a crash or a lost answer. */
const handlers: Handlers = {
  "mail.deliver": (db, job) => deliverEmail(db, job.data.emailId, { last: isLastAttempt(job) }),
  "stripe.customer-update": (db, job, deps) => runCustomerUpdate(db, { ...job.data, jobId: job.id }, deps.provider ?? paymentProvider()),
  "stripe.customer-delete": (_db, job, deps) => runCustomerDeletion({ ...job.data, jobId: job.id }, deps.provider ?? paymentProvider()),
  "stripe.payment-method-detach": (_db, job, deps) =>
    runPaymentMethodDetach({ ...job.data, jobId: job.id }, deps.provider ?? paymentProvider()),
  "stripe.subscription-sync": (db, job, deps) =>
    runSubscriptionSync(db, { ...job.data, jobId: job.id }, stripeClientOf(deps.provider ?? paymentProvider())),
  "stripe.invoice-usage": (db, job, deps) => runInvoiceUsage(db, job.data, stripeClientOf(deps.provider ?? paymentProvider())),
  "stripe.final-invoice": (db, job, deps) => runFinalInvoice(db, job.data, stripeClientOf(deps.provider ?? paymentProvider())),
  "billing.charge-invoice": (db, job, deps) => runInvoiceCharge(db, job.data, deps.provider ?? paymentProvider()),
  "billing.cycle": (db) => runBillingCycle(db),
  "maintenance.purge-expired": (db) => purgeExpired(db),
  "maintenance.trim-rate-limits": (db) => trimRateLimits(db),
  "maintenance.reconcile-stripe": (db, _job, deps) => reconcileProviderCustomers(db, deps.provider ?? paymentProvider()),
};

export function isLastAttempt(job: Pick<RunningJob, "retryCount" | "retryLimit">): boolean {
  return job.retryCount >= job.retryLimit;
}

/** Runs one job's handler, logging the outcome; a failure is rethrown for the queue to retry. */
export async function runJob(db: Db, job: RunningJob, deps: JobDependencies = {}): Promise<unknown> {
  const jobLog = log.child({ jobId: job.id, queue: job.name, attempt: job.retryCount + 1 });
  const started = performance.now();
  try {
    const handler = handlers[job.name] as (db: Db, job: RunningJob, deps: JobDependencies) => Promise<unknown>;
    const result = await handler(db, job, deps);
    jobLog.debug({ ms: Math.round(performance.now() - started) }, "job done");
    return result;
  } catch (error) {
    const dead = isLastAttempt(job);
    jobLog[dead ? "error" : "warn"](
      { err: errorField(error), dead, ms: Math.round(performance.now() - started) },
      dead ? "job dead after its last attempt" : "job failed, will retry",
    );
    throw error;
  }
}
