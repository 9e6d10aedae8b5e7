import { describe, expect, it } from 'vitest';
import {
  capacityChangeDeferred,
  capacityChanged,
  capacityChangeFailed,
  scalingConflict,
  type CapacityChanged,
} from '#lib/events/capacity-events.ts';
import {
  capacityChangedNotice,
  capacityChangeDeferredNotice,
  capacityChangeFailedNotice,
  scalingConflictNotice,
} from '#lib/notify/capacity-notices.ts';
import { notifyingEvent } from '#lib/notify/notifying-events.ts';
import { noticeToSlack, type SlackBlock } from '#lib/notify/slack-message.ts';
import { loadEvent } from '#test/support/events.ts';

type Sample = { detail: { data: Record<string, unknown> } };

/** Each sample event's data, as its contract parses it (defaults filled in). */
function sample<T>(name: string, schema: { parse(value: unknown): T }, changes: Record<string, unknown> = {}): T {
  const { detail } = loadEvent<Sample>(`eventbridge/${name}`);
  return schema.parse({ ...detail.data, ...changes });
}

function texts(blocks: SlackBlock[]): string {
  return blocks
    .flatMap((block) => {
      if (block.type === 'header') return [block.text.text];
      if (block.type === 'context') return block.elements.map((element) => element.text);
      return [...(block.text ? [block.text.text] : []), ...(block.fields ?? []).map((field) => field.text)];
    })
    .join('\n');
}

describe('capacity events as operator notices', () => {
  it('tells of a change with before → after in the title, the reason as text, and who did it', () => {
    const notice = capacityChangedNotice(sample('capacity-changed', capacityChanged.dataSchema));
    expect(notice).toEqual({
      severity: 'info',
      title: 'Scaled pool sales-desktops 10 → 40',
      text: 'Window weekday-mornings (08:00–18:00 Europe/Berlin) asks for 40 sessions; started 60 min early to be ready by 08:00.',
      facts: [
        { label: 'Capacity', value: '10 → 40 sessions' },
        { label: 'Target', value: 'pool/wspool-abc123def' },
      ],
      target: 'pool/wspool-abc123def',
      actor: 'schedule:weekday-mornings',
    });
  });

  it('says a dry run would have changed it, not that it did', () => {
    const notice = capacityChangedNotice(sample('capacity-changed', capacityChanged.dataSchema, { dryRun: true }));
    expect(notice.title).toBe('Dry run: would scale pool sales-desktops 10 → 40');
    expect(notice.facts[0]).toEqual({ label: 'Would change', value: '10 → 40 sessions' });
  });

  it('raises a failure as critical, with the error beside the change', () => {
    const notice = capacityChangeFailedNotice(sample('capacity-change-failed', capacityChangeFailed.dataSchema));
    expect(notice).toMatchObject({ severity: 'critical', title: 'Could not scale fleet office-apps 2 → 8', actor: 'usage' });
    expect(notice.facts).toContainEqual({ label: 'Capacity', value: '2 → 8 instances' });
    expect(notice.facts).toContainEqual({ label: 'Error', value: 'Fleet did not reach 8 in 30 min: 5 running; errors: INSUFFICIENT_CAPACITY' });
  });

  it('names the state that deferred a change', () => {
    const notice = capacityChangeDeferredNotice(sample('capacity-change-deferred', capacityChangeDeferred.dataSchema));
    expect(notice).toMatchObject({ severity: 'info', title: 'Deferred scaling pool sales-desktops 40 → 20: it is UPDATING' });
    expect(notice.facts).toContainEqual({ label: 'State', value: 'UPDATING' });
  });

  it('warns of a conflict, naming the other scaler and what was left undone', () => {
    const notice = scalingConflictNotice(sample('scaling-conflict', scalingConflict.dataSchema));
    expect(notice).toMatchObject({ severity: 'warning', title: 'Left fleet office-apps alone: another scaler manages it' });
    expect(notice.facts).toEqual(
      expect.arrayContaining([
        { label: 'Capacity', value: '4 → 10 instances' },
        { label: 'Managed by', value: 'Application Auto Scaling (appstream:fleet:DesiredCapacity, fleet/office-apps)' },
      ]),
    );
  });

  it('links the target when the producer gave its console page, as a Slack link', () => {
    const url = 'https://us-east-1.console.aws.amazon.com/appstream2/home';
    const data: CapacityChanged = sample('capacity-changed', capacityChanged.dataSchema, { consoleUrl: url });
    const message = noticeToSlack(capacityChangedNotice(data));
    expect(texts(message.blocks)).toContain(`<${url}|Open pool sales-desktops in the AWS console>`);
  });

  it('renders every notifying sample as Block Kit with reason, before → after, actor and target', () => {
    for (const name of ['capacity-changed', 'capacity-change-failed', 'capacity-change-deferred', 'scaling-conflict']) {
      const event = loadEvent<{ 'detail-type': string; detail: unknown }>(`eventbridge/${name}`);
      const formatted = notifyingEvent(event['detail-type'])!.format(event.detail);
      if (!formatted.ok) throw new Error(formatted.issues);
      const { data } = (event.detail as { data: { reason: string; before: number; after: number; actor: string; target: string } });
      const rendered = texts(noticeToSlack(formatted.notice).blocks);
      expect(rendered).toContain(data.reason);
      expect(rendered).toContain(`${data.before} → ${data.after}`);
      expect(rendered).toContain(`by: ${data.actor}`);
      expect(rendered).toContain(`target: ${data.target}`);
      expect(formatted.correlationId).toBe('tick-2026-11-23T07:00:00Z');
    }
  });
});
