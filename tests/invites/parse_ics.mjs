// Read one iCalendar object on stdin with Mozilla's ical.js (what Thunderbird uses) and print
// what the tests compare, as JSON: method, and per VEVENT uid, sequence, times in UTC, people, status.
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString("utf8");

const calendar = new ICAL.Component(ICAL.parse(text));
const person = (property) => ({
  value: property.getFirstValue(),
  cn: property.getParameter("cn") ?? null,
  role: property.getParameter("role") ?? null,
  partstat: property.getParameter("partstat") ?? null,
  rsvp: property.getParameter("rsvp") ?? null,
});
const utc = (time) => time.convertToZone(ICAL.Timezone.utcTimezone).toJSDate().toISOString();

const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  const organizer = vevent.getFirstProperty("organizer");
  return {
    uid: event.uid,
    sequence: event.sequence,
    dtstart: utc(event.startDate),
    dtend: utc(event.endDate),
    dtstart_is_utc: event.startDate.zone === ICAL.Timezone.utcTimezone,
    summary: event.summary,
    description: event.description,
    location: event.location,
    status: vevent.getFirstPropertyValue("status"),
    organizer: organizer ? person(organizer) : null,
    attendees: vevent.getAllProperties("attendee").map(person),
  };
});
process.stdout.write(
  JSON.stringify({
    method: calendar.getFirstPropertyValue("method"),
    prodid: calendar.getFirstPropertyValue("prodid"),
    version: calendar.getFirstPropertyValue("version"),
    events,
  }),
);
