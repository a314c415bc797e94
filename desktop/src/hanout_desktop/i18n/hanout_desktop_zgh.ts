<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zgh">
<context>
    <name>Api</name>
    <message>
        <source>The server failed (HTTP %1). Try again; if it goes on, tell the operator.</source>
        <translation>ⵉⵅⵚⵕ ⵓⵙⵉⵔⴼⵉⵔ (HTTP %1). ⴰⵍⵙ; ⵎⴽ ⵉⴽⵎⵎⵍ, ⵉⵏⵉ ⵜ ⵉ ⵓⵎⵙⵙⵓⴷⵓ.</translation>
    </message>
    <message>
        <source>The server refused the request (HTTP %1).</source>
        <translation>ⵉⴳⴷⵍ ⵓⵙⵉⵔⴼⵉⵔ ⴰⵙⵓⵜⵔ (HTTP %1).</translation>
    </message>
    <message>
        <source>The server took too long to answer. Check the connection and try again.</source>
        <translation>ⵉⵙⵙⵓⵖⵣⴼ ⵓⵙⵉⵔⴼⵉⵔ ⴰⵟⵟⴰⵚ ⴰⴷ ⴷ ⵢⴰⵔⵓⵍ. ⵙⵙⵉⴷⵏ ⴰⵣⴷⴰⵢ ⵜⴰⵍⵙⴷ.</translation>
    </message>
    <message>
        <source>Cannot reach the server at %1: %2</source>
        <translation>ⵓⵔ ⵉⵜⵜⵡⴰⵍⴽⴰⵎ ⵓⵙⵉⵔⴼⵉⵔ ⴳ %1: %2</translation>
    </message>
    <message>
        <source>The server sent an answer that is not JSON.</source>
        <translation>ⵉⵣⵏ ⴷ ⵓⵙⵉⵔⴼⵉⵔ ⵜⴰⵔⴰⵔⵓⵜ ⵓⵔ ⵉⴳⵉⵏ JSON.</translation>
    </message>
    <message>
        <source>Cannot read %1</source>
        <translation>ⵓⵔ ⵉⵣⵎⵉⵔ ⴰⴷ ⵉⵜⵜⵢⴰⵖⵔ %1</translation>
    </message>
</context>
<context>
    <name>CatalogScreen</name>
    <message>
        <source>Categories</source>
        <translation>ⵜⵉⵙⵎⵉⵍⵉⵏ</translation>
    </message>
    <message>
        <source>Collapse</source>
        <translation>ⵙⵎⵥⵉ</translation>
    </message>
    <message>
        <source>Expand</source>
        <translation>ⵙⵙⵉⵔⴷⵓ</translation>
    </message>
    <message>
        <source>All products</source>
        <translation>ⵉⴼⴰⵔⵙⵏ ⴰⴽⴽⵯ</translation>
    </message>
    <message>
        <source>Search by name, SKU or barcode</source>
        <translation>ⵔⵣⵓ ⵙ ⵉⵙⵎ, SKU ⵏⵖ ⴰⴱⴰⵔⴽⵓⴷ</translation>
    </message>
    <message>
        <source>%1+ products</source>
        <translation>%1+ ⵏ ⵉⴼⴰⵔⵙⵏ</translation>
    </message>
    <message numerus="yes">
        <source>%n product(s)</source>
        <translation>
            <numerusform>%n ⵏ ⵉⴼⴰⵔⵙⵏ</numerusform>
        </translation>
    </message>
    <message>
        <source>SKU %1</source>
        <translation>SKU %1</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>ⵓⵔ ⵉⵔⵎⵉⴷ</translation>
    </message>
    <message>
        <source>No product matches “%1”.</source>
        <translation>ⵓⵍⴰ ⴰⴼⴰⵔⵙ ⵉⵎⵙⴰⵙⴰⵏ ⴷ “%1”.</translation>
    </message>
    <message>
        <source>No products in this category.</source>
        <translation>ⵓⵔ ⵍⵍⵉⵏ ⵉⴼⴰⵔⵙⵏ ⴳ ⵜⵙⵎⵉⵍⵜ ⴰ.</translation>
    </message>
</context>
<context>
    <name>Chat</name>
    <message>
        <source>Former member</source>
        <translation>ⴰⴳⵎⴰⵎ ⴰⵇⴱⵓⵔ</translation>
    </message>
    <message>
        <source>The chat refused this sign-in (signed out, or no access to Chat).</source>
        <translation>ⵉⴳⴷⵍ ⵓⵎⵙⴰⵡⴰⵍ ⴰⴽⵛⵛⵓⵎ ⴰ (ⵜⴼⴼⵖⴷ, ⵏⵖ ⵓⵔ ⵉⵍⵍⵉ ⵓⴽⵛⴰⵎ ⵖⵔ ⵓⵎⵙⴰⵡⴰⵍ).</translation>
    </message>
    <message>
        <source>You have no access to the chat.</source>
        <translation>ⵓⵔ ⵖⵓⵔⴽ ⴰⴽⵛⴰⵎ ⵖⵔ ⵓⵎⵙⴰⵡⴰⵍ.</translation>
    </message>
    <message>
        <source>Cannot read %1</source>
        <translation>ⵓⵔ ⵉⵣⵎⵉⵔ ⴰⴷ ⵉⵜⵜⵢⴰⵖⵔ %1</translation>
    </message>
    <message>
        <source>Voice message</source>
        <translation>ⵜⵓⵣⵉⵏⵜ ⵏ ⵉⵎⵙⵍⵉ</translation>
    </message>
</context>
<context>
    <name>ChatScreen</name>
    <message>
        <source>%1:%2</source>
        <translation>%1:%2</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation>%1 KB</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 ⵏ ⵉⴱⴰⵢⵜⵏ</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>ⴰⵎⵙⴰⵡⴰⵍ</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>ⵔⵣⵓ</translation>
    </message>
    <message>
        <source>Search this conversation</source>
        <translation>ⵔⵣⵓ ⴳ ⵓⵎⵙⴰⵡⴰⵍ ⴰ</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>ⵉⵜⵜⵓⵣⴷⴰ</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>ⴰⵣⴷⴰⵢ…</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>ⵓⵔ ⵉⵜⵜⵓⵣⴷⵉ</translation>
    </message>
    <message>
        <source>Offline, reconnecting…</source>
        <translation>ⴱⵍⴰ ⴰⵥⵟⵟⴰ, ⴰⵣⴷⴰⵢ ⴷⴰⵖ…</translation>
    </message>
    <message>
        <source>%1 online</source>
        <translation>%1 ⵖⴼ ⵓⵥⵟⵟⴰ</translation>
    </message>
    <message numerus="yes">
        <source>%1, %n unread</source>
        <translation>
            <numerusform>%1, %n ⵓⵔ ⵉⵜⵜⵓⵖⵔⵉⵏ</numerusform>
        </translation>
    </message>
    <message>
        <source>No conversations yet.</source>
        <translation>ⵓⵔ ⵙⴰⵔ ⵍⵍⵉⵏ ⵉⵎⵙⴰⵡⴰⵍⵏ.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>ⴰⵙⴰⵍⵉ…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>ⵇⵇⵏ</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>ⴰⵔ ⵏⵜⵜⵔⵣⵓ…</translation>
    </message>
    <message>
        <source>No message found.</source>
        <translation>ⵓⵔ ⵜⵜⵓⴼⴰ ⴽⵔⴰ ⵏ ⵜⵓⵣⵉⵏⵜ.</translation>
    </message>
    <message>
        <source>Messages found: %1</source>
        <translation>ⵜⵓⵣⵉⵏⵉⵏ ⵉⵜⵜⵓⴼⴰⵏⵉⵏ: %1</translation>
    </message>
    <message>
        <source>%1, %2: %3</source>
        <translation>%1, %2: %3</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Pause the voice message</source>
        <translation>ⵙⴱⴷⴷ ⵜⵓⵣⵉⵏⵜ ⵏ ⵓⵎⵙⵍⵉ</translation>
    </message>
    <message>
        <source>Play the voice message</source>
        <translation>ⵙⵖⵔ ⵜⵓⵣⵉⵏⵜ ⵏ ⵉⵎⵙⵍⵉ</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation>ⵕⵥⵎ %1</translation>
    </message>
    <message>
        <source>This message was deleted.</source>
        <translation>ⵜⵓⵣⵉⵏⵜ ⴰ ⵜⵜⵡⴰⴽⴽⵙ.</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>ⵓⵔ ⵜⵜⵓⵣⵏ</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>ⴰⵍⵙ</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>ⴰⵣⴰⵏ…</translation>
    </message>
    <message>
        <source>%1 (edited)</source>
        <translation>%1 (ⵉⵜⵜⵓⵙⵏⴼⵍ)</translation>
    </message>
    <message>
        <source>Edit or delete this message</source>
        <translation>ⵙⵏⴼⵍ ⵏⵖ ⴽⴽⵙ ⵜⵓⵣⵉⵏⵜ ⴰ</translation>
    </message>
    <message>
        <source>No messages yet. Say hello!</source>
        <translation>ⵓⵔ ⵙⴰⵔ ⵍⵍⵉⵏⵜ ⵜⵓⵣⵉⵏⵉⵏ. ⵉⵏⵉ ⴰⵣⵓⵍ!</translation>
    </message>
    <message>
        <source>Editing your message. Enter saves, Escape cancels.</source>
        <translation>ⴰⵔ ⵜⵙⵏⴼⴰⵍⵜ ⵜⵓⵣⵉⵏⵜ ⵏⵏⴽ. Enter ⵃⴹⵓ, Escape ⵙⵔ.</translation>
    </message>
    <message>
        <source>Attach…</source>
        <translation>ⵙⵏⴰⴼⵍ…</translation>
    </message>
    <message>
        <source>Attach a file or a photo</source>
        <translation>ⵙⵏⴰⴼⵍ ⴰⴼⴰⵢⵍⵓ ⵏⵖ ⵜⴰⵡⵍⴰⴼⵜ</translation>
    </message>
    <message>
        <source>Send voice %1</source>
        <translation>ⴰⵣⵏ ⵉⵎⵙⵍⵉ %1</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>ⵙⵊⵊⵍ</translation>
    </message>
    <message>
        <source>Record a voice message from the microphone</source>
        <translation>ⵣⵎⵎⵎ ⵜⵓⵣⵉⵏⵜ ⵏ ⵓⵎⵙⵍⵉ ⵙⴳ ⵓⵎⵢⴰⵡⴰⴹ</translation>
    </message>
    <message>
        <source>No microphone found</source>
        <translation>ⵓⵔ ⵉⵜⵜⵢⴰⴼ ⴽⵔⴰ ⵏ ⵓⵎⵢⴰⵡⴰⴹ</translation>
    </message>
    <message>
        <source>Stop and send the voice message</source>
        <translation>ⵙⴱⴷⴷ ⵜⴰⵣⵏⴷ ⵜⵓⵣⵉⵏⵜ ⵏ ⵓⵎⵙⵍⵉ</translation>
    </message>
    <message>
        <source>Record a voice message</source>
        <translation>ⵣⵎⵎⵎ ⵜⵓⵣⵉⵏⵜ ⵏ ⵓⵎⵙⵍⵉ</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>ⵙⵔ</translation>
    </message>
    <message>
        <source>Write to %1</source>
        <translation>ⴰⵔⵓ ⵉ %1</translation>
    </message>
    <message>
        <source>Write a message</source>
        <translation>ⴰⵔⵓ ⵜⵓⵣⵉⵏⵜ</translation>
    </message>
    <message>
        <source>%1 is typing…</source>
        <translation>%1 ⴰⵔ ⵉⵜⵜⴰⵔⴰ…</translation>
    </message>
    <message>
        <source>%1 and %2 are typing…</source>
        <translation>%1 ⴷ %2 ⴰⵔ ⵜⵜⴰⵔⴰⵏ…</translation>
    </message>
    <message>
        <source>Several people are typing…</source>
        <translation>ⵎⵏⴰⵡ ⵏ ⵎⵉⴷⴷⵏ ⴰⵔ ⵜⵜⴰⵔⴰⵏ…</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>ⵜⵓⵣⵉⵏⵜ</translation>
    </message>
    <message>
        <source>Edited message</source>
        <translation>ⵜⵓⵣⵉⵏⵜ ⵉⵜⵜⵓⵙⵏⴼⵍⵏ</translation>
    </message>
    <message>
        <source>Recording… speak now.</source>
        <translation>ⴰⵣⵎⵎⵎ… ⵙⵉⵡⵍ ⴷⵖⵉ.</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>ⴰⵣⵏ</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>ⵃⴹⵓ</translation>
    </message>
    <message>
        <source>Online: %1</source>
        <translation>ⵖⴼ ⵓⵥⵟⵟⴰ: %1</translation>
    </message>
    <message>
        <source>%1, online</source>
        <translation>%1, ⵖⴼ ⵓⵥⵟⵟⴰ</translation>
    </message>
    <message>
        <source>%1, away</source>
        <translation>%1, ⵉⴳⴳⵓⴳ</translation>
    </message>
    <message>
        <source>%1, offline</source>
        <translation>%1, ⴱⵍⴰ ⴰⵥⵟⵟⴰ</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>ⵙⵏⴼⵍ</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>ⴽⴽⵙ</translation>
    </message>
    <message>
        <source>Delete this message?</source>
        <translation>ⴰⴷ ⵜⴽⴽⵙⴷ ⵜⵓⵣⵉⵏⵜ ⴰ?</translation>
    </message>
    <message>
        <source>Everyone will see that it was deleted.</source>
        <translation>ⴰⴷ ⵥⵕⴰⵏ ⵎⴰⵕⵕⴰ ⵉⵙ ⵜⵜⵡⴰⴽⴽⵙ.</translation>
    </message>
    <message>
        <source>Send a file</source>
        <translation>ⴰⵣⵏ ⴰⴼⴰⵢⵍⵓ</translation>
    </message>
</context>
<context>
    <name>CustomersScreen</name>
    <message>
        <source>New</source>
        <translation>ⴰⵎⴰⵢⵏⵓ</translation>
    </message>
    <message>
        <source>Regular</source>
        <translation>ⴰⵎⵙⵍⴽⴰⵎ</translation>
    </message>
    <message>
        <source>Top</source>
        <translation>ⴰⴼⵍⵍⴰⵢ</translation>
    </message>
    <message>
        <source>Occasional</source>
        <translation>ⵙ ⵜⵉⴽⴽⴰⵍ</translation>
    </message>
    <message>
        <source>Lapsed</source>
        <translation>ⵉⴱⴹⴰ</translation>
    </message>
    <message>
        <source>No purchase yet</source>
        <translation>ⵓⵔ ⵉⵙⵖⵉ ⵖⴰⵙⵙⴰ</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>ⵉⵎⵙⴰⵖⵏ</translation>
    </message>
    <message>
        <source>Name, phone or email</source>
        <translation>ⵉⵙⵎ, ⴰⵜⵉⵍⵉⴼⵓⵏ ⵏⵖ ⴰⵏⵣⵉⵍ</translation>
    </message>
    <message>
        <source>Search clients</source>
        <translation>ⵔⵣⵓ ⵉⵎⵙⴰⵖⵏ</translation>
    </message>
    <message>
        <source>New clients</source>
        <translation>ⵉⵎⵙⴰⵖⵏ ⵉⵎⴰⵢⵏⵓⵜⵏ</translation>
    </message>
    <message>
        <source>By month</source>
        <translation>ⵙ ⵡⴰⵢⵢⵓⵔ</translation>
    </message>
    <message>
        <source>By year</source>
        <translation>ⵙ ⵓⵙⴳⴳⵯⴰⵙ</translation>
    </message>
    <message>
        <source>New clients per period</source>
        <translation>ⵉⵎⵙⴰⵖⵏ ⵉⵎⴰⵢⵏⵓⵜⵏ ⵙ ⵜⵣⵉ</translation>
    </message>
    <message numerus="yes">
        <source>%n purchase(s)</source>
        <translation>
            <numerusform>%n ⵏ ⵜⵙⵖⵉⵡⵉⵏ</numerusform>
        </translation>
    </message>
    <message>
        <source>No client found.</source>
        <translation>ⵓⵔ ⵉⵜⵜⵓⴼⴰ ⴽⵔⴰ ⵏ ⵓⵎⵙⴰⵖ.</translation>
    </message>
</context>
<context>
    <name>DayReportScreen</name>
    <message>
        <source>Day report</source>
        <translation>ⴰⵏⵇⵇⵉⵙ ⵏ ⵡⴰⵙⵙ</translation>
    </message>
    <message>
        <source>Previous day</source>
        <translation>ⴰⵙⵙ ⵉⵣⵔⵉⵏ</translation>
    </message>
    <message>
        <source>Next day</source>
        <translation>ⴰⵙⵙ ⴷ ⵉⴷⴷⵓⵏ</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>ⴰⵙⵙ ⴰ</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>ⵙⵎⴰⵢⵏⵓ</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>ⴰⵣⵏⵣⵉ</translation>
    </message>
    <message>
        <source>Returns</source>
        <translation>ⴰⵔⵔⴰ</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>ⴰⵎⵓⵏ ⵏ ⵓⵣⵏⵣⵉ</translation>
    </message>
    <message>
        <source>Tax</source>
        <translation>ⵜⴰⴱⵣⵔⵜ</translation>
    </message>
    <message>
        <source>Cash withdrawals</source>
        <translation>ⵉⵙⵙⵓⴼⵖⵏ ⵏ ⵉⴷⵔⵉⵎⵏ</translation>
    </message>
    <message>
        <source>Collected</source>
        <translation>ⵉⵜⵜⵓⵎⵎⴰⵥⵏ</translation>
    </message>
    <message>
        <source>By payment method</source>
        <translation>ⵙ ⵓⵎⵓⵜⵜⵓ ⵏ ⵓⵅⵍⵍⵚ</translation>
    </message>
    <message>
        <source>No payments on this day.</source>
        <translation>ⵓⵔ ⵍⵍⵉⵏ ⵉⵅⵍⵍⵚⵏ ⴳ ⵡⴰⵙⵙ ⴰ.</translation>
    </message>
    <message>
        <source>By seller</source>
        <translation>ⵙ ⵓⵎⵣⵏⵣⴰ</translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s)</source>
        <translation>
            <numerusform>%n ⵏ ⵓⵣⵏⵣⵉ</numerusform>
        </translation>
    </message>
    <message>
        <source>Cash sessions</source>
        <translation>ⵜⵉⵖⵉⵎⵉⵜⵉⵏ ⵏ ⵓⵙⵏⴷⵓⵇ</translation>
    </message>
    <message>
        <source>%1 #%2</source>
        <translation>%1 #%2</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>ⵉⵇⵇⵏ</translation>
    </message>
    <message>
        <source>open</source>
        <translation>ⵉⵕⵥⵎ</translation>
    </message>
    <message>
        <source>expected %1</source>
        <translation>ⵉⵜⵜⵡⴰⵔⴰⵊⴰ %1</translation>
    </message>
    <message>
        <source>counted %1</source>
        <translation>ⵉⵜⵜⵓⵙⵉⴹⵏ %1</translation>
    </message>
    <message>
        <source>No cash session on this day.</source>
        <translation>ⵓⵔ ⵜⵍⵍⵉ ⴽⵔⴰ ⵏ ⵜⵖⵉⵎⵉⵜ ⵏ ⵓⵙⵏⴷⵓⵇ ⴳ ⵡⴰⵙⵙ ⴰ.</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>ⵉⵣⵔⵉⵔⴳⵏ</translation>
    </message>
    <message>
        <source>Nothing sold on this day.</source>
        <translation>ⵓⵔ ⵉⵜⵜⵓⵣⵏⵣⴰ ⴽⵔⴰ ⴳ ⵡⴰⵙⵙ ⴰ.</translation>
    </message>
</context>
<context>
    <name>ExpensesScreen</name>
    <message>
        <source>Expenses</source>
        <translation>ⵜⵉⵙⵙⵓⴼⵖⴰ</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>ⵔⵣⵓ</translation>
    </message>
    <message>
        <source>Search expenses</source>
        <translation>ⵔⵣⵓ ⵜⵉⵙⵙⵓⴼⵖⴰ</translation>
    </message>
    <message>
        <source>New expense</source>
        <translation>ⵜⴰⵙⵙⵓⴼⵖⵜ ⵜⴰⵎⴰⵢⵏⵓⵜ</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>ⴰⵙⴰⴽⵓⴷ</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>ⵜⴰⵙⵎⵉⵍⵜ</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>ⴰⴳⵍⴰⵎ</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>ⵜⴰⵙⵡⵉⵜ</translation>
    </message>
    <message numerus="yes">
        <source>%n attachment(s)</source>
        <translation>
            <numerusform>%n ⵏ ⵉⵙⵏⴰⴼⵍⵏ</numerusform>
        </translation>
    </message>
    <message>
        <source>No expense matches this search.</source>
        <translation>ⵓⵍⴰ ⵜⴰⵙⵙⵓⴼⵖⵜ ⵉⵎⵙⴰⵙⴰⵏ ⴷ ⵓⵔⵣⵣⵓ ⴰ.</translation>
    </message>
    <message>
        <source>No expenses recorded yet.</source>
        <translation>ⵓⵔ ⵙⴰⵔ ⵜⵜⵓⵙⵊⵊⵍⵏⵜ ⵜⵉⵙⵙⵓⴼⵖⴰ.</translation>
    </message>
    <message>
        <source>Type the amount as a number, e.g. 42.50 or 42,50.</source>
        <translation>ⴰⵔⵓ ⴰⵎⵓⵜⵜⵓ ⵙ ⵉⵎⴹⴰⵏ, ⵎⴷ. 42.50 ⵏⵖ 42,50.</translation>
    </message>
    <message>
        <source>Choose a category.</source>
        <translation>ⵙⵜⵉ ⵜⴰⵙⵎⵉⵍⵜ.</translation>
    </message>
    <message>
        <source>Choose a photo of the bill</source>
        <translation>ⵙⵜⵉ ⵜⴰⵡⵍⴰⴼⵜ ⵏ ⵜⴼⴰⴽⵜⵓⵔⵜ</translation>
    </message>
    <message>
        <source>Photos and PDF (*.jpg *.jpeg *.png *.webp *.pdf)</source>
        <translation>ⵜⵉⵡⵍⴰⴼⵉⵏ ⴷ PDF (*.jpg *.jpeg *.png *.webp *.pdf)</translation>
    </message>
    <message>
        <source>e.g. 125.40</source>
        <translation>ⵣⵓⵏⴷ 125.40</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>YYYY-MM-DD</translation>
    </message>
    <message>
        <source>e.g. Electricity bill for March</source>
        <translation>ⵣⵓⵏⴷ ⵜⴰⴼⴰⴽⵜⵓⵔⵜ ⵏ ⵜⵣⵔⵔⵉⴳⵜ ⵏ ⵎⴰⵕⵚ</translation>
    </message>
    <message>
        <source>Details (optional)</source>
        <translation>ⵉⵙⵎⵉⵏⵢⴰ (ⵉⵏⴼⵍⴰ)</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>ⵉⵙⵎⵉⵏⵢⴰ</translation>
    </message>
    <message>
        <source>Photo of the bill (optional)</source>
        <translation>ⵜⴰⵡⵍⴰⴼⵜ ⵏ ⵜⴼⴰⴽⵜⵓⵔⵜ (ⵜⴰⵏⴼⵍⵉⵜ)</translation>
    </message>
    <message>
        <source>Choose a file…</source>
        <translation>ⵙⵜⵉ ⴰⴼⴰⵢⵍⵓ…</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>ⵙⵏⴼⵍ…</translation>
    </message>
    <message>
        <source>No file chosen</source>
        <translation>ⵓⵔ ⵉⵜⵜⵓⵙⵜⴰ ⴽⵔⴰ ⵏ ⵓⴼⴰⵢⵍⵓ</translation>
    </message>
    <message>
        <source>Remove the file</source>
        <translation>ⴽⴽⵙ ⴰⴼⴰⵢⵍⵓ</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>ⵙⵔ</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>ⵃⴹⵓ</translation>
    </message>
</context>
<context>
    <name>LanguageBox</name>
    <message>
        <source>Language</source>
        <translation>ⵜⵓⵜⵍⴰⵢⵜ</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Hanout — %1</source>
        <translation>Hanout — %1</translation>
    </message>
    <message>
        <source>Hanout</source>
        <translation>Hanout</translation>
    </message>
</context>
<context>
    <name>Printer</name>
    <message>
        <source>No receipt printer is set.</source>
        <translation>ⵓⵔ ⵜⵍⵍⵉ ⵜⵙⵏⵙⵉⵖⵜ ⵏ ⵜⵙⵖⴰⵍⵉⵏ.</translation>
    </message>
    <message>
        <source>%1 is neither host:port nor a device path like /dev/usb/lp0.</source>
        <translation>%1 ⵓⵔ ⵉⴳⵉ host:port ⵓⵍⴰ ⴰⴱⵔⵉⴷ ⵏ ⵓⵎⴰⵙⵙ ⴰⵎ /dev/usb/lp0.</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>ⵓⵔ ⵉⵍⵍⵉ ⵓⵔⵓⵔ</translation>
    </message>
    <message>
        <source>The receipt printer %1 did not take the ticket (%2). Check that it is on, connected and has paper, then print again.</source>
        <translation>ⵜⴰⵙⵏⵙⵉⵖⵜ ⵏ ⵜⵙⵖⴰⵍⵉⵏ %1 ⵓⵔ ⵜⵇⴱⵉⵍ ⵜⴰⵙⵖⴰⵍⵜ (%2). ⵥⵕ ⵉⵙ ⵜⵔⵖⴰ, ⵜⵇⵇⵏ, ⵍⵍⴰⵏ ⴳⵉⵙ ⵉⴽⵔⴰⵡⵏ, ⴷⵖⵉ ⵙⵙⵉⵖ ⵜⵉⴽⵍⵜ ⵢⴰⴹⵏ.</translation>
    </message>
</context>
<context>
    <name>Register</name>
    <message>
        <source>Offline: sales are kept and sent later</source>
        <translation>ⴱⵍⴰ ⴰⵣⴷⴰⵢ: ⵜⵉⵏⵣⵣⵉⵜⵉⵏ ⴰⵔ ⵜⵜⵓⵃⴹⴰⵏⵜ ⴰⵔ ⵜⵜⵓⵣⵏⴰⵏⵜ ⴷⴼⴼⵉⵔ</translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s) to send</source>
        <translation>
            <numerusform>%n ⵜⵏⵣⵣⵉⵜ ⴰⴷ ⵜⵜⵓⵣⵏ</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s) refused by the server</source>
        <translation>
            <numerusform>%n ⵜⵏⵣⵣⵉⵜ ⵉⴳⴷⵍ ⵓⵎⵙⵍⴽⵉⵎ</numerusform>
        </translation>
    </message>
    <message>
        <source>Return</source>
        <translation>ⴰⵔⵔⴰ</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>ⵜⴰⵙⵏⵙⵉⵖⵜ</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>ⴼⴼⵖ</translation>
    </message>
    <message>
        <source>Back office</source>
        <translation>ⴰⵏⴰⵔⴰ ⵏ ⵜⵓⵔⵉ</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>ⵜⴰⵙⵏⵙⵉⵖⵜ ⵏ ⵜⵙⵖⴰⵍⵉⵏ</translation>
    </message>
    <message>
        <source>A network printer as host:port (192.168.1.50:9100), a printer plugged into this computer as its device (/dev/usb/lp0), or empty for none.</source>
        <translation>ⵜⴰⵙⵏⵙⵉⵖⵜ ⵏ ⵓⵥⵟⵟⴰ ⵙ host:port (192.168.1.50:9100), ⵜⴰⵙⵏⵙⵉⵖⵜ ⵉⵇⵇⵏⵏ ⵙ ⵓⵙⵓⵎⴰⵜ ⴰⴷ ⵙ ⵓⵎⴰⵙⵙ ⵏⵏⵙ (/dev/usb/lp0), ⵏⵖ ⵉⵅⵡⴰ ⵎⴽ ⵓⵔ ⵜⵍⵍⵉ.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>ⵃⴹⵓ</translation>
    </message>
    <message>
        <source>Your employee code and PIN</source>
        <translation>ⵜⴰⵏⴳⴰⵍⵜ ⵏⵏⴽ ⵏ ⵓⵎⵙⵅⴷⴰⵎ ⴷ PIN</translation>
    </message>
    <message>
        <source>Employee code</source>
        <translation>ⵜⴰⵏⴳⴰⵍⵜ ⵏ ⵓⵎⵙⵅⴷⴰⵎ</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>ⴽⵛⵎ</translation>
    </message>
    <message>
        <source>This computer is not a register yet. A manager signs in, opens Register mode and pairs it with one of the shop&apos;s registers.</source>
        <translation>ⴰⵙⵓⵎⴰⵜ ⴰⴷ ⵓⵔ ⵉⴳⵉ ⵜⴰⵙⵏⴷⵓⵇⵜ ⵖⴰⵙⵙⴰ. ⴰⵏⴱⴷⴰⴷ ⴰⴷ ⵉⴽⵛⵎ, ⴰⴷ ⵉⵕⵥⵎ ⴰⵎⵙⴽⵉⵍ ⵏ ⵜⵙⵏⴷⵓⵇⵜ, ⴰⴷ ⵜ ⵉⵇⵇⵏ ⵙ ⵢⴰⵜ ⵙⴳ ⵜⵙⵏⴷⵓⵇⵉⵏ ⵏ ⵜⵃⴰⵏⵓⵜ.</translation>
    </message>
    <message>
        <source>Sign in to the back office</source>
        <translation>ⴽⵛⵎ ⵖⵔ ⵓⵏⴰⵔⴰ ⵏ ⵜⵓⵔⵉ</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>ⴼⴼⵖ</translation>
    </message>
    <message>
        <source>No cash session is open. Count the cash in the drawer to open one.</source>
        <translation>ⵓⵔ ⵜⵍⵍⵉ ⵜⵉⵣⵉ ⵏ ⵜⵙⵏⴷⵓⵇⵜ ⵉⵕⵥⵎⵏ. ⵙⵉⴹⵏ ⵉⴷⵔⵉⵎⵏ ⵏ ⵜⴼⵔⴽⵜ ⴰⴷ ⵜⵕⵥⵎⴷ ⵢⴰⵜ.</translation>
    </message>
    <message>
        <source>Opening float</source>
        <translation>ⵉⴷⵔⵉⵎⵏ ⵏ ⵓⵕⵥⵎ</translation>
    </message>
    <message>
        <source>Open the drawer</source>
        <translation>ⵕⵥⵎ ⵜⴰⴼⵔⴽⵜ</translation>
    </message>
    <message>
        <source>Basket</source>
        <translation>ⵜⴰⵇⴼⴼⵓⵜ</translation>
    </message>
    <message>
        <source>Basket (%1)</source>
        <translation>ⵜⴰⵇⴼⴼⵓⵜ (%1)</translation>
    </message>
    <message>
        <source>Sub-account</source>
        <translation>ⴰⵎⵉⴹⴰⵏ ⴰⵎⵥⵥⴰⵏ</translation>
    </message>
    <message>
        <source>Sub-account (%1)</source>
        <translation>ⴰⵎⵉⴹⴰⵏ ⴰⵎⵥⵥⴰⵏ (%1)</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>ⴰⵎⵙⴰⵖ</translation>
    </message>
    <message>
        <source>Points: %1</source>
        <translation>ⵜⵉⵏⵇⵇⵉⴹⵉⵏ: %1</translation>
    </message>
    <message>
        <source>No customer on this sale</source>
        <translation>ⵓⵍⴰ ⴰⵎⵙⴰⵖ ⴳ ⵜⵏⵣⵣⵉⵜ ⴰⴷ</translation>
    </message>
    <message>
        <source>Discount −%1</source>
        <translation>ⴰⵙⵎⵥⵥⵉ −%1</translation>
    </message>
    <message>
        <source>Remove the line</source>
        <translation>ⴽⴽⵙ ⴰⵣⵔⵉⵔⴳ</translation>
    </message>
    <message>
        <source>Scan a product or tap it.</source>
        <translation>ⵙⴽⴰⵏⵉ ⴰⴼⴰⵔⵙ ⵏⵖ ⵙⵙⵏⵜⵉ ⵖⴼⵍⵙ.</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>ⴰⵎⴰⴹⴰⵍ</translation>
    </message>
    <message>
        <source>Change %1</source>
        <translation>ⴰⵙⵙⵓⵔⴼ %1</translation>
    </message>
    <message>
        <source>Return %1 · %2 given back in cash</source>
        <translation>ⴰⵔⵔⴰ %1 · %2 ⵜⵜⵓⵔⴰⵔⵏ ⵙ ⵉⴷⵔⵉⵎⵏ</translation>
    </message>
    <message>
        <source>Ticket %1 · %2 · change %3</source>
        <translation>ⵜⴰⵙⵖⴰⵍⵜ %1 · %2 · ⴰⵙⵙⵓⵔⴼ %3</translation>
    </message>
    <message>
        <source>Ticket %1 · %2</source>
        <translation>ⵜⴰⵙⵖⴰⵍⵜ %1 · %2</translation>
    </message>
    <message>
        <source>Ticket %1 (provisional, offline) · %2 · change %3</source>
        <translation>ⵜⴰⵙⵖⴰⵍⵜ %1 (ⵜⴰⵣⵎⵣⴰⵏⵜ, ⴱⵍⴰ ⴰⵣⴷⴰⵢ) · %2 · ⴰⵙⵙⵓⵔⴼ %3</translation>
    </message>
    <message>
        <source>Ticket %1 (provisional, offline) · %2</source>
        <translation>ⵜⴰⵙⵖⴰⵍⵜ %1 (ⵜⴰⵣⵎⵣⴰⵏⵜ, ⴱⵍⴰ ⴰⵣⴷⴰⵢ) · %2</translation>
    </message>
    <message>
        <source>Sale saved on this computer: it will be sent when the server is back.</source>
        <translation>ⵜⵜⵓⵃⴹⴰ ⵜⵏⵣⵣⵉⵜ ⴳ ⵓⵙⵓⵎⴰⵜ ⴰⴷ: ⴰⴷ ⵜⵜⵓⵣⵏ ⵎⴰⵔ ⴷ ⵢⵓⵖⵓⵍ ⵓⵎⵙⵍⴽⵉⵎ.</translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s) saved on this computer reached the server.</source>
        <translation>
            <numerusform>%n ⵏ ⵜⵏⵣⵣⵉⵜⵉⵏ ⵉⵜⵜⵓⵃⴹⴰⵏ ⴳ ⵓⵙⵓⵎⴰⵜ ⴰⴷ ⵍⴽⵎⵏⵜ ⴰⵎⵙⵍⴽⵉⵎ.</numerusform>
        </translation>
    </message>
    <message>
        <source>Hide this message</source>
        <translation>ⴼⴼⵔ ⵜⵓⵣⵉⵏⵜ ⴰⴷ</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>The ticket prints when the sale reaches the server.</source>
        <translation>ⴰⵔ ⵜⵜⵓⵙⵙⵉⵖ ⵜⴰⵙⵖⴰⵍⵜ ⵎⴰⵔ ⵜⵍⴽⵎ ⵜⵏⵣⵣⵉⵜ ⴰⵎⵙⵍⴽⵉⵎ.</translation>
    </message>
    <message>
        <source>Print again</source>
        <translation>ⵙⵙⵉⵖ ⵜⵉⴽⵍⵜ ⵢⴰⴹⵏ</translation>
    </message>
    <message>
        <source>Code or quantity</source>
        <translation>ⵜⴰⵏⴳⴰⵍⵜ ⵏⵖ ⵜⴰⵎⴽⵉⵜ</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>ⵜⴰⵎⴽⵉⵜ</translation>
    </message>
    <message>
        <source>Add by code</source>
        <translation>ⵔⵏⵓ ⵙ ⵜⵏⴳⴰⵍⵜ</translation>
    </message>
    <message>
        <source>Withdrawal</source>
        <translation>ⴰⵙⵙⵓⴼⵖ ⵏ ⵉⴷⵔⵉⵎⵏ</translation>
    </message>
    <message>
        <source>Type the cash to hand to the customer, then tap Withdrawal.</source>
        <translation>ⴰⵔⴰ ⵉⴷⵔⵉⵎⵏ ⵏ ⵓⵎⵙⴰⵖ, ⴷⵖⵉ ⵙⵙⵏⵜⵉ ⵖⴼ ⵓⵙⵙⵓⴼⵖ ⵏ ⵉⴷⵔⵉⵎⵏ.</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>ⴰⵙⵎⵥⵥⵉ</translation>
    </message>
    <message>
        <source>Type the amount off the chosen line, then tap Discount.</source>
        <translation>ⴰⵔⴰ ⴰⵙⵎⵥⵥⵉ ⵖⴼ ⵓⵣⵔⵉⵔⴳ ⵉⵜⵜⵓⵙⵜⴰⵏ, ⴷⵖⵉ ⵙⵙⵏⵜⵉ ⵖⴼ ⵓⵙⵎⵥⵥⵉ.</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>ⵉⴷⵔⵉⵎⵏ</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>ⵜⴰⴽⴰⵕⴹⴰ</translation>
    </message>
    <message>
        <source>Phone (QR)</source>
        <translation>ⴰⵜⵉⵍⵉⴼⵓⵏ (QR)</translation>
    </message>
    <message>
        <source>Cancel the basket</source>
        <translation>ⵙⵔ ⵜⴰⵇⴼⴼⵓⵜ</translation>
    </message>
    <message>
        <source>Customer of the sub-account</source>
        <translation>ⴰⵎⵙⴰⵖ ⵏ ⵓⵎⵉⴹⴰⵏ ⴰⵎⵥⵥⴰⵏ</translation>
    </message>
    <message>
        <source>Customer of the sale</source>
        <translation>ⴰⵎⵙⴰⵖ ⵏ ⵜⵏⵣⵣⵉⵜ</translation>
    </message>
    <message>
        <source>Name, phone number or loyalty card</source>
        <translation>ⵉⵙⵎ, ⵓⵟⵟⵓⵏ ⵏ ⵓⵜⵉⵍⵉⴼⵓⵏ ⵏⵖ ⵜⴰⴽⴰⵕⴹⴰ ⵏ ⵓⵎⵙⴰⵖ</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>ⵔⵣⵓ</translation>
    </message>
    <message>
        <source>Ticket number, e.g. 000123</source>
        <translation>ⵓⵟⵟⵓⵏ ⵏ ⵜⵙⵖⴰⵍⵜ, ⵣⵓⵏⴷ 000123</translation>
    </message>
    <message>
        <source>Several tickets have this number. Which one did the customer bring?</source>
        <translation>ⵎⴰⵏⵉⵎⴽ ⵜⵉⵙⵖⴰⵍⵉⵏ ⵖⵓⵔⵙⵏⵜ ⵓⵟⵟⵓⵏ ⴰⴷ. ⵎⴰⵜⵜⴰ ⵜⴰⵢ ⴷ ⵢⵓⵡⵉ ⵓⵎⵙⴰⵖ?</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 · %4</source>
        <translation>%1 · %2 · %3 · %4</translation>
    </message>
    <message>
        <source>Ticket %1 · %2 · %3 · %4</source>
        <translation>ⵜⴰⵙⵖⴰⵍⵜ %1 · %2 · %3 · %4</translation>
    </message>
    <message>
        <source>Sold %1 × %2 · already back %3</source>
        <translation>ⵉⵜⵜⵓⵣⵏⵣⴰ %1 × %2 · ⵉⵜⵜⵓⵔⴰⵔ ⵢⴰⴷ %3</translation>
    </message>
    <message>
        <source>One less</source>
        <translation>ⵢⴰⵏ ⴷⴰⵡ</translation>
    </message>
    <message>
        <source>One more</source>
        <translation>ⵢⴰⵏ ⵓⴳⴳⴰⵔ</translation>
    </message>
    <message>
        <source>Why does it come back?</source>
        <translation>ⵎⴰⵅ ⴰⵢ ⴷ ⵉⵜⵜⵓⵔⴰⵔ?</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>ⵉⵔⵥⵥⴰ</translation>
    </message>
    <message>
        <source>Wrong item</source>
        <translation>ⴰⴼⴰⵔⵙ ⵓⵔ ⵉⵖⵓⴷⵏ</translation>
    </message>
    <message>
        <source>Changed their mind</source>
        <translation>ⵉⵙⵏⴼⵍ ⵜⵉⵎⵥⵍⵉⵜ ⵏⵏⵙ</translation>
    </message>
    <message>
        <source>Everything</source>
        <translation>ⴽⵓⵍⵍⵓ</translation>
    </message>
    <message>
        <source>Refund %1 in cash</source>
        <translation>ⵔⴰⵔ %1 ⵙ ⵉⴷⵔⵉⵎⵏ</translation>
    </message>
    <message>
        <source>Pay %1 by phone</source>
        <translation>ⵅⵍⵙ %1 ⵙ ⵓⵜⵉⵍⵉⴼⵓⵏ</translation>
    </message>
    <message>
        <source>QR code to pay by phone</source>
        <translation>ⵜⴰⵏⴳⴰⵍⵜ QR ⵉ ⵓⵅⵍⵍⵙ ⵙ ⵓⵜⵉⵍⵉⴼⵓⵏ</translation>
    </message>
    <message>
        <source>Waiting for the customer&apos;s payment…</source>
        <translation>ⴰⵔ ⵏⵜⵜⵔⴰⵊⵓ ⴰⵅⵍⵍⵙ ⵏ ⵓⵎⵙⴰⵖ…</translation>
    </message>
    <message>
        <source>Cancel the QR payment</source>
        <translation>ⵙⵔ ⴰⵅⵍⵍⵙ ⵙ QR</translation>
    </message>
    <message>
        <source>This computer is now the register “%1”.</source>
        <translation>ⴰⵙⵓⵎⴰⵜ ⴰⴷ ⵉⴳⴰ ⴷⵖⵉ ⵜⴰⵙⵏⴷⵓⵇⵜ «%1».</translation>
    </message>
    <message>
        <source>A customer is paying by phone. Wait for the payment, or cancel the QR payment, before signing out or leaving the register.</source>
        <translation>ⵢⴰⵏ ⵓⵎⵙⴰⵖ ⴰⵔ ⵉⵅⵍⵍⵙ ⵙ ⵓⵜⵉⵍⵉⴼⵓⵏ. ⵔⴰⵊⵓ ⴰⵅⵍⵍⵙ, ⵏⵖ ⵙⵔ ⴰⵅⵍⵍⵙ ⵙ QR, ⵙ ⴷⴰⵜ ⴰⴷ ⵜⴼⴼⵖⴷ ⵏⵖ ⴰⴷ ⵜⴰⵊⵊⴷ ⵜⴰⵙⵏⴷⵓⵇⵜ.</translation>
    </message>
    <message>
        <source>Type your employee code.</source>
        <translation>ⴰⵔⴰ ⵜⴰⵏⴳⴰⵍⵜ ⵏⵏⴽ ⵏ ⵓⵎⵙⵅⴷⴰⵎ.</translation>
    </message>
    <message>
        <source>Type your PIN.</source>
        <translation>ⴰⵔⴰ PIN ⵏⵏⴽ.</translation>
    </message>
    <message>
        <source>Type your employee code and your PIN.</source>
        <translation>ⴰⵔⴰ ⵜⴰⵏⴳⴰⵍⵜ ⵏⵏⴽ ⵏ ⵓⵎⵙⵅⴷⴰⵎ ⴷ PIN ⵏⵏⴽ.</translation>
    </message>
    <message>
        <source>Not locked: a payment or a sale waiting for the server needs this cashier.</source>
        <translation>ⵓⵔ ⵉⵜⵜⵓⵇⵇⵏ: ⵢⴰⵏ ⵓⵅⵍⵍⵙ ⵏⵖ ⵢⴰⵜ ⵜⵎⵣⵣⵏⵣⵉⵜ ⵉⵜⵜⵔⴰⵊⵓⵏ ⴰⵎⵙⵍⴽⵉⵎ ⵉⵅⵚⵚⴰ ⴰⵙⵏ ⵓⵎⵙⵙⵓⵖⵍ ⴰⴷ.</translation>
    </message>
    <message>
        <source>Locked after a while without use. Sign in again to go on.</source>
        <translation>ⵉⵜⵜⵓⵇⵇⵏ ⴷⴼⴼⵉⵔ ⴽⵔⴰ ⵏ ⵡⴰⴽⵓⴷ ⴱⵍⴰ ⴰⵙⵎⵔⵙ. ⴽⵛⵎ ⴷⴰⵖ ⴰⴷ ⵜⴽⵎⵎⵍⴷ.</translation>
    </message>
    <message>
        <source>Sales made here are still waiting for the server (%1). Sign out once they are sent.</source>
        <translation>ⵜⵉⵏⵣⵣⵉⵜⵉⵏ ⵏ ⵖⵉⴷ ⴰⵔ ⵜⵜⵔⴰⵊⵓⵏⵜ ⴰⵎⵙⵍⴽⵉⵎ (%1). ⴼⴼⵖ ⵎⴰⵔ ⵜⵜⵓⵣⵏⴰⵏⵜ.</translation>
    </message>
    <message>
        <source>Type the cash in the drawer, e.g. 100.</source>
        <translation>ⴰⵔⴰ ⵉⴷⵔⵉⵎⵏ ⵏ ⵜⴼⵔⴽⵜ, ⵎⴰⵙⵍ 100.</translation>
    </message>
    <message>
        <source>A positive amount.</source>
        <translation>ⵢⴰⵏ ⵓⵎⵙⴰⵙⴰ ⵉⵖⵓⴷⴰⵏ.</translation>
    </message>
    <message>
        <source>Type a quantity, then ×.</source>
        <translation>ⴰⵔⴰ ⵜⴰⵎⴽⵉⵜ, ⴷⵖⵉ ×.</translation>
    </message>
    <message>
        <source>No product with code %1 in this register&apos;s catalog.</source>
        <translation>ⵓⵔ ⵉⵍⵍⵉ ⵓⴼⴰⵔⵙ ⵙ ⵜⵏⴳⴰⵍⵜ %1 ⴳ ⵓⴽⴰⵜⴰⵍⵓⴳ ⵏ ⵜⵙⵏⴷⵓⵇⵜ ⴰⴷ.</translation>
    </message>
    <message>
        <source>No product with code %1.</source>
        <translation>ⵓⵔ ⵉⵍⵍⵉ ⵓⴼⴰⵔⵙ ⵙ ⵜⵏⴳⴰⵍⵜ %1.</translation>
    </message>
    <message>
        <source>You may not give discounts.</source>
        <translation>ⵓⵔ ⵜⵥⴹⴰⵕⴷ ⴰⴷ ⵜⴼⴽⴷ ⴰⵙⵎⵥⵥⵉ.</translation>
    </message>
    <message>
        <source>Tap a product line first.</source>
        <translation>ⵙⵙⵏⵜⵉ ⵜⵉⵣⵡⵉⵔⵉ ⵖⴼ ⵓⵣⵔⵉⵔⴳ ⵏ ⵓⴼⴰⵔⵙ.</translation>
    </message>
    <message>
        <source>Type the amount off the line, then Discount.</source>
        <translation>ⴰⵔⴰ ⴰⵙⵎⵥⵥⵉ ⵖⴼ ⵓⵣⵔⵉⵔⴳ, ⴷⵖⵉ ⴰⵙⵎⵥⵥⵉ.</translation>
    </message>
    <message>
        <source>The discount cannot be more than the line (%1).</source>
        <translation>ⵓⵔ ⵉⵥⴹⴰⵕ ⵓⵙⵎⵥⵥⵉ ⴰⴷ ⵉⵣⵔⵉ ⴰⵣⵔⵉⵔⴳ (%1).</translation>
    </message>
    <message>
        <source>Type the cash to hand over, then Withdrawal.</source>
        <translation>ⴰⵔⴰ ⵉⴷⵔⵉⵎⵏ ⵏ ⵓⵙⵙⵓⴼⵖ, ⴷⵖⵉ ⴰⵙⵙⵓⴼⵖ ⵏ ⵉⴷⵔⵉⵎⵏ.</translation>
    </message>
    <message>
        <source>Cash withdrawal</source>
        <translation>ⴰⵙⵙⵓⴼⵖ ⵏ ⵉⴷⵔⵉⵎⵏ</translation>
    </message>
    <message>
        <source>%1 is the customer of this sale.</source>
        <translation>%1 ⴷ ⴰⵎⵙⴰⵖ ⵏ ⵜⵏⵣⵣⵉⵜ ⴰⴷ.</translation>
    </message>
    <message>
        <source>Return %1 recorded: give %2 back in cash.</source>
        <translation>ⵉⵜⵜⵓⵙⵊⵊⵍ ⵓⵔⵔⴰ %1: ⵔⴰⵔ %2 ⵙ ⵉⴷⵔⵉⵎⵏ.</translation>
    </message>
    <message>
        <source>The customer gave less than the total (%1).</source>
        <translation>ⵉⴼⴽⴰ ⵓⵎⵙⴰⵖ ⵓⴳⴳⴰⵔ ⵏ ⵓⵎⴰⴹⴰⵍ (%1).</translation>
    </message>
    <message>
        <source>At least the total.</source>
        <translation>ⵎⴰⵔⵓ ⴰⵎⴰⴹⴰⵍ.</translation>
    </message>
    <message>
        <source>The basket is empty.</source>
        <translation>ⵜⴰⵇⴼⴼⵓⵜ ⵜⵅⵡⴰ.</translation>
    </message>
    <message>
        <source>Phone payment needs the server. Take cash or card.</source>
        <translation>ⴰⵅⵍⵍⵙ ⵙ ⵓⵜⵉⵍⵉⴼⵓⵏ ⵉⵅⵚⵚⴰ ⴰⵙ ⵓⵎⵙⵍⴽⵉⵎ. ⴰⵎⵥ ⵉⴷⵔⵉⵎⵏ ⵏⵖ ⵜⴰⴽⴰⵕⴹⴰ.</translation>
    </message>
    <message>
        <source>The QR payment was cancelled.</source>
        <translation>ⵉⵜⵜⵓⵙⵔ ⵓⵅⵍⵍⵙ ⵙ QR.</translation>
    </message>
    <message>
        <source>The QR code expired: start the phone payment again.</source>
        <translation>ⵉⵎⵎⵓⵜ ⵓⵣⵎⵣ ⵏ ⵜⵏⴳⴰⵍⵜ QR: ⵙⵏⵜⵉ ⴰⵅⵍⵍⵙ ⵙ ⵓⵜⵉⵍⵉⴼⵓⵏ ⵜⵉⴽⵍⵜ ⵢⴰⴹⵏ.</translation>
    </message>
    <message>
        <source>Payment accepted.</source>
        <translation>ⵉⵜⵜⵓⵇⴱⴰⵍ ⵓⵅⵍⵍⵙ.</translation>
    </message>
    <message>
        <source>Points: +%1 (balance %2)</source>
        <translation>ⵜⵉⵏⵇⵇⵉⴹⵉⵏ: +%1 (ⴰⵎⴰⴹⴰⵍ %2)</translation>
    </message>
    <message>
        <source>Points: none for this sale (balance %1)</source>
        <translation>ⵜⵉⵏⵇⵇⵉⴹⵉⵏ: ⵓⵍⴰ ⵢⴰⵜ ⵉ ⵜⵏⵣⵣⵉⵜ ⴰⴷ (ⴰⵎⴰⴹⴰⵍ %1)</translation>
    </message>
    <message>
        <source>The server refused a sale: %1</source>
        <translation>ⵉⴳⴷⵍ ⵓⵎⵙⵍⴽⵉⵎ ⵢⴰⵜ ⵜⵏⵣⵣⵉⵜ: %1</translation>
    </message>
    <message>
        <source>This sale is waiting for the server: its ticket prints as soon as the server records it.</source>
        <translation>ⵜⴰⵏⵣⵣⵉⵜ ⴰⴷ ⴰⵔ ⵜⵔⴰⵊⵓ ⴰⵎⵙⵍⴽⵉⵎ: ⴰⴷ ⵜⵜⵓⵙⵙⵉⵖ ⵜⵙⵖⴰⵍⵜ ⵏⵏⵙ ⵖⴰⵙ ⵎⴰⵔ ⵜⵜ ⵉⵙⵊⵊⵍ ⵓⵎⵙⵍⴽⵉⵎ.</translation>
    </message>
    <message>
        <source>Ticket printed.</source>
        <translation>ⵜⵜⵓⵙⵙⵉⵖ ⵜⴰⵙⵖⴰⵍⵜ.</translation>
    </message>
    <message>
        <source>Type a name or a phone number, or scan the loyalty card.</source>
        <translation>ⴰⵔⴰ ⵢⴰⵏ ⵢⵉⵙⵎ ⵏⵖ ⵓⵟⵟⵓⵏ ⵏ ⵓⵜⵉⵍⵉⴼⵓⵏ, ⵏⵖ ⵙⴽⴰⵏⵉ ⵜⴰⴽⴰⵕⴹⴰ ⵏ ⵓⵎⵙⴰⵖ.</translation>
    </message>
    <message>
        <source>No customer found for %1.</source>
        <translation>ⵓⵔ ⵉⵜⵜⵢⴰⴼ ⴽⵔⴰ ⵏ ⵓⵎⵙⴰⵖ ⵉ %1.</translation>
    </message>
    <message>
        <source>Type or scan the number printed on the ticket.</source>
        <translation>ⴰⵔⴰ ⵏⵖ ⵙⴽⴰⵏⵉ ⵓⵟⵟⵓⵏ ⵉⵜⵜⵓⵙⵙⵉⵖⵏ ⵖⴼ ⵜⵙⵖⴰⵍⵜ.</translation>
    </message>
    <message>
        <source>No ticket %1.</source>
        <translation>ⵓⵍⴰ ⵜⴰⵙⵖⴰⵍⵜ %1.</translation>
    </message>
    <message>
        <source>Ticket %1 has no product to take back.</source>
        <translation>ⵜⴰⵙⵖⴰⵍⵜ %1 ⵓⵔ ⴷⴰⵔⵙ ⴽⵔⴰ ⵏ ⵓⴼⴰⵔⵙ ⵔⴰ ⵉⵜⵜⵓⵔⴰⵔⵏ.</translation>
    </message>
    <message>
        <source>Everything on ticket %1 was already brought back.</source>
        <translation>ⴽⵓⵍⵍⵓ ⵎⴰ ⵉⵍⵍⴰⵏ ⴳ ⵜⵙⵖⴰⵍⵜ %1 ⵉⵜⵜⵓⵔⴰⵔ ⵢⴰⴷ.</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>Enter your email address and your password.</source>
        <translation>ⵙⴽⵛⵎ ⵜⴰⵏⵙⴰ ⵏ ⵉⵎⴰⵢⵍ ⵏⵏⴽ ⴷ ⵜⴳⵓⵔⵉ ⵏ ⵓⵣⵔⴰⵢ ⵏⵏⴽ.</translation>
    </message>
    <message>
        <source>Required.</source>
        <translation>ⵉⵜⵜⵓⵙⵓⵜⵔ.</translation>
    </message>
    <message>
        <source>Enter your email address.</source>
        <translation>ⵙⴽⵛⵎ ⵜⴰⵏⵙⴰ ⵏ ⵉⵎⴰⵢⵍ ⵏⵏⴽ.</translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation>ⵜⵉⴳⵓⵔⵉⵡⵉⵏ ⵏ ⵓⵣⵔⴰⵢ ⵓⵔ ⵎⵙⴰⵙⴰⵏⵜ.</translation>
    </message>
    <message>
        <source>Type the same password.</source>
        <translation>ⴰⵔⵓ ⵜⴰⴳⵓⵔⵉ ⵏ ⵓⵣⵔⴰⵢ ⵜⴰⵏⵏ.</translation>
    </message>
    <message>
        <source>This registration has expired. Check the store and continue again.</source>
        <translation>ⵉⵥⵔⵉ ⵓⵣⵎⵣ ⵏ ⵓⵣⵎⵎⴻⵎ ⴰⴷ. ⵙⵙⵉⴷⵏ ⵜⴰⵎⵙⵙⵓⵖⵍⵜ ⵜⴽⵎⵎⵍⴷ ⵜⵉⴽⵍⵜ ⵢⴰⴹⵏ.</translation>
    </message>
    <message>
        <source>Hanout desktop on %1</source>
        <translation>Hanout ⵏ ⵓⵎⵙⵙⵓⴷⵙ ⴳ %1</translation>
    </message>
    <message>
        <source>Confirm your email address first: open the link in the email Hanout sent you, then sign in again.</source>
        <translation>ⵙⵖⵏⵙ ⵜⴰⵏⵙⴰ ⵏ ⵉⵎⴰⵢⵍ ⵏⵏⴽ ⵣⵡⴰⵔ: ⵕⵥⵎ ⴰⵙⵖⵡⵏ ⴳ ⵉⵎⴰⵢⵍ ⵍⵍⵉ ⴽ ⵉⵣⵏ Hanout, ⵙ ⴽⵛⵎ ⴷⴰⵖ.</translation>
    </message>
    <message>
        <source>The email address or the password is not right.</source>
        <translation>ⵜⴰⵏⵙⴰ ⵏ ⵉⵎⴰⵢⵍ ⵏⵖ ⵜⴰⴳⵓⵔⵉ ⵏ ⵓⵣⵔⴰⵢ ⵓⵔ ⵜⵚⵃⵉ.</translation>
    </message>
    <message>
        <source>That step has expired. Sign in again.</source>
        <translation>ⵉⵥⵔⵉ ⵓⵣⵎⵣ ⵏ ⵜⵙⴽⵯⴼⵍⵜ ⴰⵏⵏ. ⴽⵛⵎ ⴷⴰⵖ.</translation>
    </message>
    <message>
        <source>You were signed out: the token was revoked or your access ended.</source>
        <translation>ⵜⴼⴼⵖⴷ: token ⵉⵜⵜⵡⴰⴽⴽⵙ ⵏⵖ ⵉⴽⵎⵍ ⵓⴽⵛⴰⵎ ⵏⵏⴽ.</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <source>Server unreachable</source>
        <translation>ⵓⵔ ⵉⵜⵜⵡⴰⵍⴽⴰⵎ ⵓⵙⵉⵔⴼⵉⵔ</translation>
    </message>
    <message>
        <source>Register mode</source>
        <translation>ⴰⵎⵙⴽⵉⵍ ⵏ ⵜⵙⵏⴷⵓⵇⵜ</translation>
    </message>
    <message>
        <source>Pair with another register</source>
        <translation>ⵇⵇⵏ ⵙ ⵜⵙⵏⴷⵓⵇⵜ ⵢⴰⴹⵏ</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>ⴼⴼⵖ</translation>
    </message>
    <message>
        <source>Make this computer a register</source>
        <translation>ⴳ ⴰⵙⵓⵎⴰⵜ ⴰⴷ ⵜⴰⵙⵏⴷⵓⵇⵜ</translation>
    </message>
    <message>
        <source>Sales made here will be this register&apos;s. Cashiers sign in with their employee code and PIN.</source>
        <translation>ⵜⵉⵏⵣⵣⵉⵜⵉⵏ ⵏ ⵖⵉⴷ ⴰⴷ ⴳⵏⵜ ⵜⵉⵏ ⵜⵙⵏⴷⵓⵇⵜ ⴰⴷ. ⵉⵎⵙⵏⴷⵓⵇⵏ ⴰⴷ ⴽⵛⵎⵏ ⵙ ⵜⵏⴳⴰⵍⵜ ⵏⵙⵏ ⴷ PIN.</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>ⵜⴰⵙⵏⴷⵓⵇⵜ</translation>
    </message>
    <message>
        <source>This store has no register yet. Add one on the web, under Register → Registers, then open this window again.</source>
        <translation>ⴰⵃⴰⵏⵓⵜ ⴰⴷ ⵓⵔ ⵖⵓⵔⵙ ⴰⵔ ⴷⵖⵉ ⵜⴰⵙⵏⴷⵓⵇⵜ. ⵔⵏⵓ ⵢⴰⵜ ⴳ ⵡⵉⴱ, ⴳ ⵜⴰⵙⵏⴷⵓⵇⵜ → ⵜⵉⵙⵏⴷⵓⵇⵉⵏ, ⵙ ⵓⵍⵙ ⵕⵥⵎ ⵜⴰⵙⴰⵔⵓⵎⵜ ⴰⴷ.</translation>
    </message>
    <message>
        <source>This computer is the register “%1”: pairing it again replaces that, and its old key stops working.</source>
        <translation>ⴰⵙⵓⵎⴰⵜ ⴰⴷ ⴷ ⵜⴰⵙⵏⴷⵓⵇⵜ «%1»: ⴰⵇⵇⵏ ⵏⵏⵙ ⴷⴰⵖ ⵉⵙⵏⴼⴰⵍ ⴰⵢⴰ, ⴷ ⵜⴰⵙⴰⵔⵓⵜ ⵏⵏⵙ ⵜⴰⵇⴷⵉⵎⵜ ⵓⵔ ⵜⵜⵅⴷⴰⵎ.</translation>
    </message>
    <message>
        <source>Name of this computer, e.g. Counter</source>
        <translation>ⵉⵙⵎ ⵏ ⵓⵙⵓⵎⴰⵜ ⴰⴷ, ⵎⴰⵙⵍ ⵜⴰⴱⵍⵜ</translation>
    </message>
    <message>
        <source>Pair and open the register</source>
        <translation>ⵇⵇⵏ ⵜⵕⵥⵎⴷ ⵜⴰⵙⵏⴷⵓⵇⵜ</translation>
    </message>
    <message>
        <source>This computer is not a register yet. Ask an owner or a manager to make this computer a register.</source>
        <translation>ⴰⵙⵓⵎⴰⵜ ⴰⴷ ⵓⵔ ⵉⴳⵉ ⵜⴰⵙⵏⴷⵓⵇⵜ ⵖⴰⵙⵙⴰ. ⵜⵜⵔ ⵙⴳ ⵓⵎⵍⴰⵍ ⵏⵖ ⵙⴳ ⵓⵏⵎⵀⴰⵍ ⴰⴷ ⵢⴳ ⴰⵙⵓⵎⴰⵜ ⴰⴷ ⵜⴰⵙⵏⴷⵓⵇⵜ.</translation>
    </message>
    <message>
        <source>Another store&apos;s register</source>
        <translation>ⵜⴰⵙⵏⴷⵓⵇⵜ ⵏ ⵢⴰⵏ ⵓⵃⴰⵏⵓⵜ ⵢⴰⴹⵏ</translation>
    </message>
    <message>
        <source>This computer is the register “%1” of %2, not of %3.</source>
        <translation>ⴰⵙⵎⴰⴹⴰⵍ ⴰⴷ ⵉⴳⴰ ⵜⴰⵙⵏⴷⵓⵇⵜ «%1» ⵏ %2, ⵓⵔ ⵉⴳⵉ ⵜⴰⵏⵏ ⵏ %3.</translation>
    </message>
    <message>
        <source>This computer is the register “%1” of another business.</source>
        <translation>ⴰⵙⵎⴰⴹⴰⵍ ⴰⴷ ⵉⴳⴰ ⵜⴰⵙⵏⴷⵓⵇⵜ «%1» ⵏ ⵢⴰⵜ ⵜⵎⵙⵙⵓⵔⵜ ⵢⴰⴹⵏ.</translation>
    </message>
    <message>
        <source>Pair it with one of this store&apos;s registers instead?</source>
        <translation>ⴰⴷ ⵜ ⵜⵣⴷⵉⴷ ⵙ ⵢⴰⵜ ⵙⴳ ⵜⵙⵏⴷⵓⵇⵉⵏ ⵏ ⵓⵃⴰⵏⵓⵜ ⴰⴷ?</translation>
    </message>
    <message>
        <source>Ask an owner or a manager to make this computer one of this store&apos;s registers.</source>
        <translation>ⵜⵜⵔ ⵙⴳ ⵓⵎⵍⴰⵍ ⵏⵖ ⵙⴳ ⵓⵏⵎⵀⴰⵍ ⴰⴷ ⵢⴳ ⴰⵙⵓⵎⴰⵜ ⴰⴷ ⵢⴰⵜ ⵙⴳ ⵜⵙⵏⴷⵓⵇⵉⵏ ⵏ ⵓⵃⴰⵏⵓⵜ ⴰⴷ.</translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s) made at that register wait to be sent. Open the register as its store first, so that they reach the server.</source>
        <translation>
            <numerusform>%n ⵏ ⵜⵏⵣⵣⵉⵜⵉⵏ ⵏ ⵜⵙⵏⴷⵓⵇⵜ ⴰⵏⵏ ⵜⵜⵔⴰⵊⵓⵏⵜ ⴰⴷ ⵜⵜⵓⵣⵏⵏⵜ. ⵕⵥⵎ ⵜⴰⵙⵏⴷⵓⵇⵜ ⵙ ⵓⵃⴰⵏⵓⵜ ⵏⵏⵙ ⵜⵉⵣⵡⵉⵔⵉ, ⵃⵎⴰ ⴰⴷ ⵍⴽⵎⵏⵜ ⴰⵎⵙⵎⵓⵜⵜⴳ.</numerusform>
        </translation>
    </message>
    <message>
        <source>Pair with this store</source>
        <translation>ⵣⴷⵉ ⵙ ⵓⵃⴰⵏⵓⵜ ⴰⴷ</translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation>ⴰⴽⴰⵜⴰⵍⵓⴳ</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>ⴰⵙⵜⵓⴽ</translation>
    </message>
    <message>
        <source>Expenses</source>
        <translation>ⵜⵉⵙⵙⵓⴼⵖⴰ</translation>
    </message>
    <message>
        <source>Suppliers</source>
        <translation>ⵉⵎⵙⵉⵡⴹⵏ</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>ⵉⵎⵙⵖⴰⵏ</translation>
    </message>
    <message>
        <source>Employees</source>
        <translation>ⵉⵎⵙⵡⵓⵔⵉⵢⵏ</translation>
    </message>
    <message>
        <source>Sponsorship</source>
        <translation>ⴰⵙⵙⵏⵎⵍ</translation>
    </message>
    <message>
        <source>Day report</source>
        <translation>ⴰⵏⵇⵇⵉⵙ ⵏ ⵡⴰⵙⵙ</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>ⴰⵎⵙⴰⵡⴰⵍ</translation>
    </message>
</context>
<context>
    <name>SignIn</name>
    <message>
        <source>Hanout</source>
        <translation>Hanout</translation>
    </message>
    <message>
        <source>Two-factor authentication</source>
        <translation>ⴰⴽⵛⵛⵓⵎ ⵙ ⵙⵏⴰⵜ ⵏ ⵜⵖⴰⵔⴰⵙⵉⵏ</translation>
    </message>
    <message>
        <source>Check your email</source>
        <translation>ⵙⵙⵉⴷⵏ ⵉⵎⴰⵢⵍ ⵏⵏⴽ</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>ⴽⵛⵎ</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>ⴰⵙⵉⵔⴼⵉⵔ</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>ⵜⴰⵏⵙⴰ ⵏ ⵉⵎⴰⵢⵍ</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>ⵜⴰⴳⵓⵔⵉ ⵏ ⵓⵣⵔⴰⵢ</translation>
    </message>
    <message>
        <source>Email me a sign-in code instead</source>
        <translation>ⴰⵣⵏ ⵉⵢⵉ ⵜⴰⵏⴳⴰⵍⵜ ⵏ ⵓⴽⵛⵛⵓⵎ ⵙ ⵉⵎⴰⵢⵍ ⴳ ⵓⵎⴽⴰⵏ ⵏ ⵓⵢⴰ</translation>
    </message>
    <message>
        <source>Register a new store</source>
        <translation>ⵣⵎⵎⵎ ⵜⴰⵎⵙⵙⵓⵖⵍⵜ ⵜⴰⵎⴰⵢⵏⵓⵜ</translation>
    </message>
    <message>
        <source>We sent a sign-in code to %1. Type it here.</source>
        <translation>ⵏⵓⵣⵏ ⵜⴰⵏⴳⴰⵍⵜ ⵏ ⵓⴽⵛⵛⵓⵎ ⵖⵔ %1. ⴰⵔⵓ ⵜⵜ ⴷⴰ.</translation>
    </message>
    <message>
        <source>Open your authenticator app and type the 6-digit code for Hanout.</source>
        <translation>ⵕⵥⵎ ⴰⵙⵏⴼⴰⵔ ⵏ ⵓⵙⵙⵉⴷⵏ ⵏⵏⴽ ⵜⴰⵔⵓⴷ ⵜⴰⵏⴳⴰⵍⵜ ⵏ 6 ⵏ ⵉⵎⴹⴰⵏ ⵏ Hanout.</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>ⴽⵎⵎⵍ</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>ⴰⵖⵓⵍ</translation>
    </message>
</context>
<context>
    <name>SignUp</name>
    <message>
        <source>Hanout</source>
        <translation>Hanout</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>ⵜⵓⵜⵍⴰⵢⵜ</translation>
    </message>
    <message>
        <source>Register a store</source>
        <translation>ⵣⵎⵎⵎ ⵜⴰⵎⵙⵙⵓⵖⵍⵜ</translation>
    </message>
    <message>
        <source>Step 1 of 2: the store</source>
        <translation>ⵜⴰⵙⵓⵔⵉⴼⵜ 1 ⵙⴳ 2: ⵜⴰⵎⵙⵙⵓⵖⵍⵜ</translation>
    </message>
    <message>
        <source>Step 2 of 2: its manager</source>
        <translation>ⵜⴰⵙⵓⵔⵉⴼⵜ 2 ⵙⴳ 2: ⴰⵏⴱⴷⴰⴷ ⵏⵏⵙ</translation>
    </message>
    <message>
        <source>Business name</source>
        <translation>ⵉⵙⵎ ⵏ ⵜⵎⵙⵙⵓⵖⵍⵜ</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>ⵜⴰⵎⵓⵔⵜ</translation>
    </message>
    <message>
        <source>Choose the country</source>
        <translation>ⵙⵜⵉ ⵜⴰⵎⵓⵔⵜ</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>ⵜⴰⴷⵔⵉⵎⵜ</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>ⵜⴰⵣⵓⵏⵜ ⵜⴰⴽⵓⴷⴰⵢⵜ</translation>
    </message>
    <message>
        <source>First shop&apos;s name</source>
        <translation>ⵉⵙⵎ ⵏ ⵜⵃⴰⵏⵓⵜ ⵜⴰⵎⵣⵡⴰⵔⵓⵜ</translation>
    </message>
    <message>
        <source>Leave empty to use the business name.</source>
        <translation>ⴰⵊⵊ ⵜ ⵉⵅⵡⴰ ⴰⴷ ⵉⵜⵜⵓⵙⵎⵔⵙ ⵉⵙⵎ ⵏ ⵜⵎⵙⵙⵓⵖⵍⵜ.</translation>
    </message>
    <message>
        <source>First shop&apos;s address</source>
        <translation>ⵜⴰⵏⵙⴰ ⵏ ⵜⵃⴰⵏⵓⵜ ⵜⴰⵎⵣⵡⴰⵔⵓⵜ</translation>
    </message>
    <message>
        <source>Default language</source>
        <translation>ⵜⵓⵜⵍⴰⵢⵜ ⵙ ⵓⵙⵏⵓⵎⵎⵍ</translation>
    </message>
    <message>
        <source>Referral code (optional)</source>
        <translation>ⵜⴰⵏⴳⴰⵍⵜ ⵏ ⵓⵙⵎⵓⵜⵜⴳ (ⵜⴰⵏⴼⵍⵉⵜ)</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>ⴽⵎⵎⵍ</translation>
    </message>
    <message>
        <source>The manager of %1. You will receive an email to confirm your address.</source>
        <translation>ⴰⵏⴱⴷⴰⴷ ⵏ %1. ⴰⴷ ⴰⴽ ⵉⴰⵡⴹ ⵢⴰⵏ ⵉⵎⴰⵢⵍ ⵉ ⵓⵙⵖⵏⵙ ⵏ ⵜⴰⵏⵙⴰ ⵏⵏⴽ.</translation>
    </message>
    <message>
        <source>Invited by %1.</source>
        <translation>ⵉⵖⵔⴰ ⴰⴽ %1.</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>ⵉⵙⵎ ⴰⵎⴰⵙⵙⴰⵏ</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>ⴰⵏⵙⴰ ⵏ ⵓⵏⵣⵉⵍ</translation>
    </message>
    <message>
        <source>Phone (optional)</source>
        <translation>ⴰⵜⵉⵍⵉⴼⵓⵏ (ⵉⵏⴼⵍⴰ)</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>ⵜⴰⴳⵓⵔⵉ ⵏ ⵓⵣⵔⴰⵢ</translation>
    </message>
    <message>
        <source>Password (again)</source>
        <translation>ⵜⴰⴳⵓⵔⵉ ⵏ ⵓⵣⵔⴰⵢ (ⴷⴰⵖ)</translation>
    </message>
    <message>
        <source>Create the store</source>
        <translation>ⵙⵏⵓⵍⴼⵓ ⵜⴰⵎⵙⵙⵓⵖⵍⵜ</translation>
    </message>
    <message>
        <source>Change the store</source>
        <translation>ⵙⵏⴼⵍ ⵜⴰⵎⵙⵙⵓⵖⵍⵜ</translation>
    </message>
    <message>
        <source>%1 is registered. We sent an email to %2: open its link to confirm your address, then sign in here.</source>
        <translation>ⵜⵜⵓⵣⵎⵎⴻⵎ %1. ⵏⵓⵣⵏ ⵢⴰⵏ ⵉⵎⴰⵢⵍ ⵖⵔ %2: ⵕⵥⵎ ⴰⵙⵖⵡⵏ ⵏⵏⵙ ⵉ ⵓⵙⵖⵏⵙ ⵏ ⵜⴰⵏⵙⴰ ⵏⵏⴽ, ⵙ ⴽⵛⵎ ⵖⵉⴷ.</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>ⴽⵛⵎ</translation>
    </message>
    <message>
        <source>I already have an account</source>
        <translation>ⵖⵓⵔⵉ ⵢⴰⵏ ⵓⵎⵉⴹⴰⵏ ⵢⴰⴷⵍⵍⵉ</translation>
    </message>
</context>
<context>
    <name>SponsorshipScreen</name>
    <message>
        <source>One-time reward</source>
        <translation>ⵜⴰⵔⴰⵣⵜ ⵏ ⵢⴰⵜ ⵜⵉⴽⵍⵜ</translation>
    </message>
    <message>
        <source>Share of fees</source>
        <translation>ⴰⴼⵔⴷⵉⵙ ⵙⴳ ⵉⵥⵕⵉⴼⵏ</translation>
    </message>
    <message>
        <source>Reversal</source>
        <translation>ⴰⵙⵔ</translation>
    </message>
    <message>
        <source>Sponsorship</source>
        <translation>ⴰⵙⵏⵓⴱⴳ</translation>
    </message>
    <message>
        <source>Your sponsorship code</source>
        <translation>ⵜⴰⵏⴳⴰⵍⵜ ⵏⵏⴽ ⵏ ⵓⵙⵏⵓⴱⴳ</translation>
    </message>
    <message>
        <source>Registration link</source>
        <translation>ⴰⵙⵖⵏ ⵏ ⵓⵣⵎⵎⴻⵎ</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>ⵙⵏⵖⵍ</translation>
    </message>
    <message>
        <source>Earned from sponsoring</source>
        <translation>ⵉⵙⵖⵏⴰⵙⵏ ⵙⴳ ⵓⵙⵏⵓⴱⴳ</translation>
    </message>
    <message>
        <source>Businesses sponsored</source>
        <translation>ⵜⵉⵃⴰⵏⵓⵜⵉⵏ ⵉⵜⵜⵓⵙⵏⵓⴱⴳⵏ</translation>
    </message>
    <message>
        <source>Active now</source>
        <translation>ⵉⵍⵍⴰⵏ ⴷⵖⵉ</translation>
    </message>
    <message>
        <source>Programme “%1”: %2 %3 once a sponsored business has been active %4 days, then %5% of its fees for %6 months.</source>
        <translation>ⴰⵖⴰⵡⴰⵙ «%1»: %2 %3 ⵎⵔ ⵜⵍⵍⴰ ⵜⵃⴰⵏⵓⵜ ⵉⵜⵜⵓⵙⵏⵓⴱⴳⵏ ⵜⵅⴷⴷⵎ %4 ⵏ ⵡⵓⵙⵙⴰⵏ, ⴷⵖⵉ %5% ⵙⴳ ⵉⵥⵕⵉⴼⵏ ⵏⵏⵙ ⵉ %6 ⵏ ⵉⵢⵢⵓⵔⵏ.</translation>
    </message>
    <message>
        <source>Invitation sent to %1.</source>
        <translation>ⵜⵜⵓⵣⵏ ⵜⵖⵓⵔⵉ ⵉ %1.</translation>
    </message>
    <message>
        <source>Invite a business by email</source>
        <translation>ⵖⵔ ⵉ ⵢⴰⵜ ⵜⵃⴰⵏⵓⵜ ⵙ ⵓⵏⵣⵉⵍ</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>ⴰⵏⵙⴰ ⵏ ⵓⵏⵣⵉⵍ</translation>
    </message>
    <message>
        <source>A word from you (optional)</source>
        <translation>ⵢⴰⵏ ⵡⴰⵡⴰⵍ ⵙⴳ ⵖⵓⵔⴽ (ⵓⵔ ⵉⵇⵇⵉⵏ)</translation>
    </message>
    <message>
        <source>Send the invitation</source>
        <translation>ⴰⵣⵏ ⵜⴰⵖⵓⵔⵉ</translation>
    </message>
    <message>
        <source>active</source>
        <translation>ⵉⵅⴷⴷⵎ</translation>
    </message>
    <message>
        <source>inactive</source>
        <translation>ⵓⵔ ⵉⵅⴷⴷⵎ</translation>
    </message>
    <message>
        <source>No business registered with your code yet.</source>
        <translation>ⵓⵔ ⵜⵣⵎⵎⴻⵎ ⴽⵔⴰ ⵏ ⵜⵃⴰⵏⵓⵜ ⵙ ⵜⵏⴳⴰⵍⵜ ⵏⵏⴽ ⵖⴰⵙⵙⴰ.</translation>
    </message>
    <message>
        <source>Rewards</source>
        <translation>ⵜⵉⵔⴰⵣⵉⵏ</translation>
    </message>
    <message>
        <source>No reward yet.</source>
        <translation>ⵓⵔ ⵜⵍⵍⵉ ⴽⵔⴰ ⵏ ⵜⵔⴰⵣⵜ ⵖⴰⵙⵙⴰ.</translation>
    </message>
</context>
<context>
    <name>StaffScreen</name>
    <message>
        <source>Catalog</source>
        <translation>ⴰⴽⴰⵜⴰⵍⵓⴳ</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>ⴰⵙⵜⵓⴽ</translation>
    </message>
    <message>
        <source>Suppliers</source>
        <translation>ⵉⵎⵙⵉⵡⴹⵏ</translation>
    </message>
    <message>
        <source>Purchasing</source>
        <translation>ⴰⵙⵖⴰ</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>ⴰⵣⵏⵣⵉ</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>ⴰⵙⵏⴷⵓⵇ</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>ⵉⵎⵙⵖⴰⵏ</translation>
    </message>
    <message>
        <source>Expenses</source>
        <translation>ⵜⵉⵙⵙⵓⴼⵖⴰ</translation>
    </message>
    <message>
        <source>Sponsorship</source>
        <translation>ⴰⵙⵙⵏⵎⵍ</translation>
    </message>
    <message>
        <source>Marketplace</source>
        <translation>ⴰⵙⵓⵇ</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>ⴰⵎⵙⴰⵡⴰⵍ</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>ⵉⵏⵇⵇⵉⵙⵏ</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>ⵉⵎⵙⵡⵓⵔⵉⵢⵏ</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>ⵜⵉⵙⵖⴰⵍ</translation>
    </message>
    <message>
        <source>No access</source>
        <translation>ⵓⵔ ⵉⵍⵍⵉ ⵓⴽⵛⴰⵎ</translation>
    </message>
    <message>
        <source>Read only</source>
        <translation>ⵖⵔ ⴽⴰⵏ</translation>
    </message>
    <message>
        <source>Full access</source>
        <translation>ⴰⴽⵛⴰⵎ ⴰⵎⴰⵙⵙⴰⵏ</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>ⴰⵎⵍⴰⵍ</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>ⴰⵏⵎⵀⴰⵍ</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>ⴰⵎⵙⵡⵓⵔⵉ</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>ⴰⵎⵙⵙⵓⵙⵔⴼ ⵏ ⵓⵙⵏⴷⵓⵇ</translation>
    </message>
    <message>
        <source>Employees</source>
        <translation>ⵉⵎⵙⵡⵓⵔⵉⵢⵏ</translation>
    </message>
    <message>
        <source>Search by name, email or code</source>
        <translation>ⵔⵣⵓ ⵙ ⵉⵙⵎ, ⵉⵎⴰⵢⵍ ⵏⵖ ⵜⴰⵏⴳⴰⵍⵜ</translation>
    </message>
    <message>
        <source>Search employees</source>
        <translation>ⵔⵣⵓ ⵉⵎⵙⵡⵓⵔⵉⵢⵏ</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>ⵉⵔⵎⴷ</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>ⵓⵔ ⵉⵔⵎⵉⴷ</translation>
    </message>
    <message>
        <source>No employee matches this search.</source>
        <translation>ⵓⵍⴰ ⴰⵎⵙⵡⵓⵔⵉ ⵉⵎⵙⴰⵙⴰⵏ ⴷ ⵓⵔⵣⵣⵓ ⴰ.</translation>
    </message>
    <message>
        <source>No employees yet.</source>
        <translation>ⵓⵔ ⵙⴰⵔ ⵍⵍⵉⵏ ⵉⵎⵙⵡⵓⵔⵉⵢⵏ.</translation>
    </message>
    <message>
        <source>Choose an employee to see their access.</source>
        <translation>ⵙⵜⵉ ⴰⵎⵙⵡⵓⵔⵉ ⴰⴷ ⵜⵥⵕⴷ ⴰⴽⵛⴰⵎ ⵏⵏⵙ.</translation>
    </message>
    <message>
        <source>Code %1</source>
        <translation>ⵜⴰⵏⴳⴰⵍⵜ %1</translation>
    </message>
    <message>
        <source>Deactivated on %1</source>
        <translation>ⵉⵜⵜⵓⵙⵅⵙⴰ ⴳ %1</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>ⵙⵅⵙⵉ</translation>
    </message>
    <message>
        <source>Reactivate</source>
        <translation>ⵙⵔⵎⴷ ⴷⴰⵖ</translation>
    </message>
    <message>
        <source>Access by module</source>
        <translation>ⴰⴽⵛⴰⵎ ⵙ ⵓⵎⵓⴷⵓⵍ</translation>
    </message>
    <message>
        <source>“Role default” follows the role; any other choice applies to this employee only.</source>
        <translation>“ⴰⵙⵡⵉⵔ ⵏ ⵓⵡⵜⵜⴰⵙ” ⵉⵜⵜⴰⴹⴼⵕ ⴰⵡⵜⵜⴰⵙ; ⴽⵓ ⴰⵙⵜⵉ ⵢⴰⴹⵏ ⵉⵜⵜⵓⵙⵏⵙⴰ ⵖⴰⵙ ⵖⴼ ⵓⵎⵙⵡⵓⵔⵉ ⴰ.</translation>
    </message>
    <message>
        <source>What this employee may see and change in each module.</source>
        <translation>ⵎⴰ ⵉⵣⵎⵔ ⵓⵎⵙⵡⵓⵔⵉ ⴰ ⴰⴷ ⵉⵥⵕ ⴷ ⵎⴰ ⵉⵣⵎⵔ ⴰⴷ ⵉⵙⵏⴼⵍ ⴳ ⴽⵓ ⴰⵎⵓⴷⵓⵍ.</translation>
    </message>
    <message>
        <source>Set for this employee</source>
        <translation>ⵉⵜⵜⵓⵙⵔⵙ ⵉ ⵓⵎⵙⵡⵓⵔⵉ ⴰ</translation>
    </message>
    <message>
        <source>Role default</source>
        <translation>ⴰⵙⵡⵉⵔ ⵏ ⵓⵡⵜⵜⴰⵙ</translation>
    </message>
    <message>
        <source>None</source>
        <translation>ⵡⴰⵍⵓ</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>ⵖⵔ</translation>
    </message>
    <message>
        <source>Full</source>
        <translation>ⴰⵎⴰⵙⵙⴰⵏ</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Deactivate %1?</source>
        <translation>ⴰⴷ ⵜⵙⵅⵙⵉⴷ %1?</translation>
    </message>
    <message>
        <source>They can no longer sign in, their API tokens are revoked, and their history is kept. You can reactivate them later.</source>
        <translation>ⵓⵔ ⴷ ⴷⴰⵖ ⵉⵣⵎⵉⵔ ⴰⴷ ⵉⴽⵛⵎ, ⵉⴷ token API ⵏⵏⵙ ⴰⴷ ⵜⵜⵡⴰⴽⴽⵙⵏ, ⴷ ⴰⵎⵣⵔⵓⵢ ⵏⵏⵙ ⴰⴷ ⵉⵇⵇⵉⵎ. ⵜⵣⵎⵔⴷ ⴰⴷ ⵜ ⵜⵙⵔⵎⴷⴷ ⴷⴰⵖ ⴷⴼⴼⵉⵔ.</translation>
    </message>
    <message>
        <source>Note (optional)</source>
        <translation>ⵜⴰⵣⵎⵉⵍⵜ (ⵜⴰⵏⴼⵍⵉⵜ)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>ⵙⵔ</translation>
    </message>
</context>
<context>
    <name>StockScreen</name>
    <message>
        <source>Search by product name, SKU or barcode</source>
        <translation>ⵔⵣⵓ ⵙ ⵉⵙⵎ ⵏ ⵓⴼⴰⵔⵙ, SKU ⵏⵖ ⴰⴱⴰⵔⴽⵓⴷ</translation>
    </message>
    <message>
        <source>Low stock only</source>
        <translation>ⵖⴰⵙ ⴰⵙⵜⵓⴽ ⵉⴷⵔⵓⵙⵏ</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>ⴰⴼⴰⵔⵙ</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>ⴰⴷⵖⴰⵔ</translation>
    </message>
    <message>
        <source>On hand</source>
        <translation>ⵍⵍⵉ ⵉⵍⵍⴰⵏ</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>ⵉⵍⵍⴰⵏ</translation>
    </message>
    <message>
        <source>SKU %1</source>
        <translation>SKU %1</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>ⵉⴷⵔⵓⵙ</translation>
    </message>
    <message>
        <source>No product is low on stock.</source>
        <translation>ⵓⵍⴰ ⴰⴼⴰⵔⵙ ⵖⵓⵔ ⵉⴷⵔⵓⵙ ⵓⵙⵜⵓⴽ.</translation>
    </message>
    <message>
        <source>No stock levels match.</source>
        <translation>ⵓⵍⴰ ⴰⵙⵡⵉⵔ ⵏ ⵓⵙⵜⵓⴽ ⵉⵎⵙⴰⵙⴰⵏ.</translation>
    </message>
</context>
<context>
    <name>SuppliersScreen</name>
    <message>
        <source>Suppliers</source>
        <translation>ⵉⵎⵙⵉⵡⴹⵏ</translation>
    </message>
    <message>
        <source>Search suppliers</source>
        <translation>ⵔⵣⵓ ⵉⵎⵙⵉⵡⴹⵏ</translation>
    </message>
    <message numerus="yes">
        <source>%n product(s)</source>
        <translation>
            <numerusform>%n ⵏ ⵉⴼⴰⵔⵙⵏ</numerusform>
        </translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>ⵓⵔ ⵉⵔⵎⵉⴷ</translation>
    </message>
    <message>
        <source>No supplier matches this search.</source>
        <translation>ⵓⵍⴰ ⴰⵎⵙⵉⵡⴹ ⵉⵎⵙⴰⵙⴰⵏ ⴷ ⵓⵔⵣⵣⵓ ⴰ.</translation>
    </message>
    <message>
        <source>No suppliers yet.</source>
        <translation>ⵓⵔ ⵙⴰⵔ ⵍⵍⵉⵏ ⵉⵎⵙⵉⵡⴹⵏ.</translation>
    </message>
    <message>
        <source>Spend per supplier</source>
        <translation>ⵉⵙⵙⵉⴼⴹⵏ ⵙ ⵓⵎⵙⵉⵡⴹ</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 ⵏ ⵡⵓⵙⵙⴰⵏ ⵉⴳⴳⵯⵔⴰ</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>90 ⵏ ⵡⵓⵙⵙⴰⵏ ⵉⴳⴳⵯⵔⴰ</translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation>12 ⵏ ⵉⵢⵢⵉⵔⵏ ⵉⵏⴳⴳⵓⵔⴰ</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>ⵜⵉⵣⵉ</translation>
    </message>
    <message>
        <source>Invoices dated in the period, tax included: %1 in all.</source>
        <translation>ⵜⵉⴼⴰⴽⵜⵓⵔⵉⵏ ⵍⵍⵉ ⵖⵓⵔ ⵉⵍⵍⴰ ⵓⵙⴰⴽⵓⴷ ⴳ ⵜⵉⵣⵉ, ⵙ ⵜⴱⵣⵔⵜ: %1 ⴳ ⵓⵎⵓⵏ.</translation>
    </message>
    <message>
        <source>The spend per supplier comes from Purchasing; you have no access to it.</source>
        <translation>ⵉⵙⵙⵉⴼⴹⵏ ⵙ ⵓⵎⵙⵉⵡⴹ ⴷ ⵉⴷⴷⴰⵏ ⵙⴳ ⵓⵙⵖⴰ; ⵓⵔ ⵖⵓⵔⴽ ⴰⴽⵛⴰⵎ ⵖⵔⵙ.</translation>
    </message>
    <message>
        <source>No supplier invoice in this period.</source>
        <translation>ⵓⵔ ⵜⵍⵍⵉ ⵜⴼⴰⴽⵜⵓⵔⵜ ⵏ ⵓⵎⵙⵉⵡⴹ ⴳ ⵜⵉⵣⵉ ⴰ.</translation>
    </message>
</context>
<context>
    <name>Voice</name>
    <message>
        <source>No microphone found. Plug one in, or allow the app to use it.</source>
        <translation>ⵓⵔ ⵉⵜⵜⵢⴰⴼ ⴽⵔⴰ ⵏ ⵓⵎⵢⴰⵡⴰⴹ. ⵇⵇⵏ ⵢⴰⵏ, ⵏⵖ ⴰⴷ ⵜⴰⵊⵊⴷ ⴰⵙⵏⴼⴰⵔ ⴰⴷ ⵜ ⵉⵙⵎⵔⵙ.</translation>
    </message>
    <message>
        <source>Too short to send: hold on a little longer while you speak.</source>
        <translation>ⵉⵇⵙⵙⵔ ⴱⵣⵣⴰⴼ ⵉ ⵓⵣⴰⵏ: ⵣⵎⵎⵎ ⴽⵔⴰ ⵢⴰⴹⵏ.</translation>
    </message>
    <message>
        <source>The recording stopped: %1</source>
        <translation>ⵉⴱⴷⴷ ⵓⵣⵎⵎⵎ: %1</translation>
    </message>
    <message>
        <source>Cannot play this voice message: %1</source>
        <translation>ⵓⵔ ⵉⵣⵎⵉⵔ ⴰⴷ ⵉⵙⵖⵔ ⵜⵓⵣⵉⵏⵜ ⴰⴷ ⵏ ⵓⵎⵙⵍⵉ: %1</translation>
    </message>
</context>
</TS>
