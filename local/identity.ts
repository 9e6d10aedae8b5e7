import { arn } from './arn.ts';

/**
 * Who is calling. The edge reads the access key id from the SigV4 Authorization header and looks
 * it up here, so CloudTrail events carry a `userIdentity` the way AWS records it: an unknown key is
 * an IAM user named after the key; keys registered by the Lambda runner are the function's
 * assumed role, so drift detection can tell euc-autopilot's own changes from an operator's.
 */
export interface UserIdentity {
  type: 'IAMUser' | 'AssumedRole' | 'Root' | 'AWSService';
  principalId: string;
  arn: string;
  accountId: string;
  accessKeyId: string;
  userName?: string;
  sessionContext?: {
    sessionIssuer: { type: 'Role'; principalId: string; arn: string; accountId: string; userName: string };
    attributes: { creationDate: string; mfaAuthenticated: 'false' | 'true' };
  };
}

export class Identities {
  private readonly byKey = new Map<string, UserIdentity>();

  constructor(private readonly accountId: string) {}

  /** Registers the role session a Lambda function's credentials stand for. */
  registerRole(accessKeyId: string, roleName: string, sessionName: string, createdAt: Date): UserIdentity {
    const roleId = `AROA${hash(roleName)}`;
    const identity: UserIdentity = {
      type: 'AssumedRole',
      principalId: `${roleId}:${sessionName}`,
      arn: arn('sts', '', this.accountId, `assumed-role/${roleName}/${sessionName}`),
      accountId: this.accountId,
      accessKeyId,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: roleId,
          arn: arn('iam', '', this.accountId, `role/${roleName}`),
          accountId: this.accountId,
          userName: roleName,
        },
        attributes: { creationDate: createdAt.toISOString(), mfaAuthenticated: 'false' },
      },
    };
    this.byKey.set(accessKeyId, identity);
    return identity;
  }

  /** The identity behind an Authorization header (anonymous when unsigned). */
  fromAuthorization(header: string | undefined): UserIdentity {
    const accessKeyId = /Credential=([^/,\s]+)\//.exec(header ?? '')?.[1] ?? 'anonymous';
    return (
      this.byKey.get(accessKeyId) ?? {
        type: 'IAMUser',
        principalId: `AIDA${hash(accessKeyId)}`,
        arn: arn('iam', '', this.accountId, `user/${accessKeyId}`),
        accountId: this.accountId,
        accessKeyId,
        userName: accessKeyId,
      }
    );
  }
}

/** A stable, id-looking suffix derived from a name. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (const char of text) h = Math.imul(h ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(36).toUpperCase().padStart(8, '0').slice(0, 16);
}
