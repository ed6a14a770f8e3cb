package dev.tally.demo;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Texts for the demo's SMS: short and long, plain GSM-7, GSM-7 with extension characters (the euro
 * sign counts twice), and Unicode with emoji, so the segment counts in the SMS report vary the way
 * a carrier bill does.
 */
final class SmsBodies {
    private static final List<String> NAMES = List.of(
            "Maria", "James", "Aisha", "Chen", "Olivia", "Mateo", "Fatima", "Noah", "Zoe", "Ravi", "Elena", "Kwame");
    private static final List<String> DAYS = List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday");
    private static final List<String> TIMES = List.of("9:00 AM", "10:30 AM", "11:15 AM", "1:00 PM", "2:45 PM", "4:30 PM");

    private static final List<String> OPENINGS = List.of(
            "Hi {name}, this is a reminder of your appointment on {day} at {time}. Reply C to confirm or R to reschedule.",
            "Hi {name}, your technician is on the way and should arrive around {time}.",
            "Your order {code} has shipped 🚚 Track it at https://{tenant}.example/t/{code} 📦",
            "Hi {name}! Your invoice of €{amount} is ready. Pay at https://{tenant}.example/pay/{code}",
            "Hi {name}, thanks for calling {brand} today. Here is a summary of what we agreed: your service visit is"
                    + " booked for {day} at {time}. Please make sure someone over 18 is at home, clear access to the"
                    + " unit, and keep your account number to hand. If anything changes, reply to this message or call"
                    + " us back on this number. Reply STOP to opt out.",
            "Hi {name} 👋 How did we do today? Reply with a number from 1 (poor) to 5 (excellent) ⭐ Your feedback helps"
                    + " us improve, and every reply this month enters you into our prize draw 🎁",
            "{brand}: your verification code is {code}. It expires in 10 minutes. Never share this code with anyone.",
            "Hi {name}, we tried to reach you about your account but could not get through. Please call us back at"
                    + " your convenience, or reply with a good time to call.");

    private static final List<String> REPLIES = List.of(
            "C", "Yes", "Confirmed 👍", "Can we move it to {day} afternoon?", "Thanks!", "😊", "STOP", "5",
            "Running 10 min late, sorry!", "Who is this?", "ok thx",
            "Hi, I got charged twice this month and nobody has called me back yet. I have been a customer for six years"
                    + " and this is the third time it has happened. Can someone please sort this out today?");

    private static final List<String> QUESTIONS = List.of(
            "Hi, are you open on Saturday?", "What time do you close today?", "Can I change my appointment?",
            "Is my order shipped yet?", "Do you take Apple Pay? 🙏", "I need to cancel {day}, sorry 😞");

    private static final List<String> ANSWERS = List.of(
            "Thanks for your message! Our team will get back to you shortly.",
            "Yes, we are open Saturday from 9 AM to 1 PM.",
            "Done ✅ You are all set for {day} at {time}.",
            "Hi {name}, no problem. We have these times free this week: {day} {time}, Thursday 2:45 PM or Friday"
                    + " 9:00 AM. Reply with the one that suits you best and we will book it straight away. If none of"
                    + " them work, just tell us which days are good for you.");

    private SmsBodies() {
    }

    static String opening(SplittableRandom random, DemoTenant tenant) {
        return fill(Draw.one(random, OPENINGS), random, tenant);
    }

    static String reply(SplittableRandom random, DemoTenant tenant) {
        return fill(Draw.one(random, REPLIES), random, tenant);
    }

    static String question(SplittableRandom random, DemoTenant tenant) {
        return fill(Draw.one(random, QUESTIONS), random, tenant);
    }

    static String answer(SplittableRandom random, DemoTenant tenant) {
        return fill(Draw.one(random, ANSWERS), random, tenant);
    }

    private static String fill(String template, SplittableRandom random, DemoTenant tenant) {
        return template
                .replace("{name}", Draw.one(random, NAMES))
                .replace("{day}", Draw.one(random, DAYS))
                .replace("{time}", Draw.one(random, TIMES))
                .replace("{code}", String.valueOf(Draw.between(random, 100_000, 999_999)))
                .replace("{amount}", Draw.between(random, 20, 480) + "." + Draw.between(random, 10, 99))
                .replace("{tenant}", tenant.id())
                .replace("{brand}", tenant.name());
    }
}
