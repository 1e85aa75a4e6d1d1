import { CenteredPage } from "@/components/ui/centered-page";

export default function InvitationLayout({ children }: { children: React.ReactNode }) {
  return <CenteredPage width="max-w-md">{children}</CenteredPage>;
}
