import { LoadingSkeleton } from "@/components/ui/loading-skeleton";

// Below the layout that checks access: a 404 or a redirect is decided before anything streams.
export default function Loading() {
  return <LoadingSkeleton />;
}
