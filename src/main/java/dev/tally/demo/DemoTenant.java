package dev.tally.demo;

import java.math.BigDecimal;
import java.util.List;

/**
 * One demo tenant: who works there, what runs there, and how busy it is.
 *
 * @param utcOffsetHours where the tenant's customers live, so its busy hours fall at their daytime
 * @param calls calls per day, from the quietest day to the busiest
 * @param inProgressCalls calls still running at the moment the demo is loaded
 * @param chatModels the models its chat assistant answers members with, first one most often
 */
record DemoTenant(String id, String name, int utcOffsetHours, Range calls, Range smsConversations, Range chats,
                  int inProgressCalls, BigDecimal inboundRatePerMinute, BigDecimal outboundRatePerMinute,
                  List<DemoAgent> agents, List<String> members, List<String> phoneNumbers, List<ChatModel> chatModels) {

    record Range(int least, int most) {
    }

    record ChatModel(String provider, String model) {
    }
}
