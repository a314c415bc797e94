<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar">
<context>
    <name>Api</name>
    <message>
        <source>The server failed (HTTP %1). Try again; if it goes on, tell the operator.</source>
        <translation>تعذّر على الخادم تنفيذ الطلب (HTTP %1). حاول مرة أخرى؛ وإذا استمر الخطأ فأبلغ المسؤول عن التشغيل.</translation>
    </message>
    <message>
        <source>The server refused the request (HTTP %1).</source>
        <translation>رفض الخادم الطلب (HTTP %1).</translation>
    </message>
    <message>
        <source>The server took too long to answer. Check the connection and try again.</source>
        <translation>استغرق الخادم وقتًا طويلًا للرد. تحقق من الاتصال وحاول مرة أخرى.</translation>
    </message>
    <message>
        <source>Cannot reach the server at %1: %2</source>
        <translation>تعذّر الوصول إلى الخادم على %1: %2</translation>
    </message>
    <message>
        <source>The server sent an answer that is not JSON.</source>
        <translation>أرسل الخادم ردًا ليس بصيغة JSON.</translation>
    </message>
    <message>
        <source>Cannot read %1</source>
        <translation>تعذّرت قراءة %1</translation>
    </message>
</context>
<context>
    <name>CatalogScreen</name>
    <message>
        <source>Categories</source>
        <translation>الفئات</translation>
    </message>
    <message>
        <source>Collapse</source>
        <translation>طيّ</translation>
    </message>
    <message>
        <source>Expand</source>
        <translation>توسيع</translation>
    </message>
    <message>
        <source>All products</source>
        <translation>كل المنتجات</translation>
    </message>
    <message>
        <source>Search by name, SKU or barcode</source>
        <translation>ابحث بالاسم أو SKU أو الباركود</translation>
    </message>
    <message>
        <source>%1+ products</source>
        <translation>أكثر من %1 منتج</translation>
    </message>
    <message numerus="yes">
        <source>%n product(s)</source>
        <translation>
            <numerusform>%n منتج</numerusform>
            <numerusform>منتج واحد</numerusform>
            <numerusform>منتجان</numerusform>
            <numerusform>%n منتجات</numerusform>
            <numerusform>%n منتجًا</numerusform>
            <numerusform>%n منتج</numerusform>
        </translation>
    </message>
    <message>
        <source>SKU %1</source>
        <translation>SKU %1</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>غير نشط</translation>
    </message>
    <message>
        <source>No product matches “%1”.</source>
        <translation>لا يوجد منتج يطابق «%1».</translation>
    </message>
    <message>
        <source>No products in this category.</source>
        <translation>لا توجد منتجات في هذه الفئة.</translation>
    </message>
</context>
<context>
    <name>Chat</name>
    <message>
        <source>Former member</source>
        <translation>عضو سابق</translation>
    </message>
    <message>
        <source>The chat refused this sign-in (signed out, or no access to Chat).</source>
        <translation>رفضت الدردشة تسجيل الدخول هذا (تم تسجيل الخروج، أو لا تملك وصولًا إلى الدردشة).</translation>
    </message>
    <message>
        <source>You have no access to the chat.</source>
        <translation>ليس لديك وصول إلى الدردشة.</translation>
    </message>
    <message>
        <source>Cannot read %1</source>
        <translation>تعذّرت قراءة %1</translation>
    </message>
    <message>
        <source>Voice message</source>
        <translation>رسالة صوتية</translation>
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
        <translation>%1 ميغابايت</translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation>%1 كيلوبايت</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 بايت</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>الدردشة</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>بحث</translation>
    </message>
    <message>
        <source>Search this conversation</source>
        <translation>البحث في هذه المحادثة</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>متصل</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>جارٍ الاتصال…</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>غير متصل</translation>
    </message>
    <message>
        <source>Offline, reconnecting…</source>
        <translation>غير متصل، جارٍ إعادة الاتصال…</translation>
    </message>
    <message>
        <source>%1 online</source>
        <translation>%1 متصل</translation>
    </message>
    <message numerus="yes">
        <source>%1, %n unread</source>
        <translation>
            <numerusform>%1، %n رسالة غير مقروءة</numerusform>
            <numerusform>%1، رسالة واحدة غير مقروءة</numerusform>
            <numerusform>%1، رسالتان غير مقروءتين</numerusform>
            <numerusform>%1، %n رسائل غير مقروءة</numerusform>
            <numerusform>%1، %n رسالة غير مقروءة</numerusform>
            <numerusform>%1، %n رسالة غير مقروءة</numerusform>
        </translation>
    </message>
    <message>
        <source>No conversations yet.</source>
        <translation>لا توجد محادثات بعد.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>جارٍ التحميل…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>إغلاق</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>جارٍ البحث…</translation>
    </message>
    <message>
        <source>No message found.</source>
        <translation>لم يُعثر على أي رسالة.</translation>
    </message>
    <message>
        <source>Messages found: %1</source>
        <translation>الرسائل التي عُثر عليها: %1</translation>
    </message>
    <message>
        <source>%1, %2: %3</source>
        <translation>%1، %2: %3</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Pause the voice message</source>
        <translation>أوقف الرسالة الصوتية مؤقتًا</translation>
    </message>
    <message>
        <source>Play the voice message</source>
        <translation>تشغيل الرسالة الصوتية</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation>فتح %1</translation>
    </message>
    <message>
        <source>This message was deleted.</source>
        <translation>تم حذف هذه الرسالة.</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>لم تُرسَل</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>حاول مرة أخرى</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>جارٍ الإرسال…</translation>
    </message>
    <message>
        <source>%1 (edited)</source>
        <translation>%1 (معدّلة)</translation>
    </message>
    <message>
        <source>Edit or delete this message</source>
        <translation>تعديل هذه الرسالة أو حذفها</translation>
    </message>
    <message>
        <source>No messages yet. Say hello!</source>
        <translation>لا توجد رسائل بعد. ألقِ التحية!</translation>
    </message>
    <message>
        <source>Editing your message. Enter saves, Escape cancels.</source>
        <translation>تعديل رسالتك. Enter للحفظ، Escape للإلغاء.</translation>
    </message>
    <message>
        <source>Attach…</source>
        <translation>إرفاق…</translation>
    </message>
    <message>
        <source>Attach a file or a photo</source>
        <translation>إرفاق ملف أو صورة</translation>
    </message>
    <message>
        <source>Send voice %1</source>
        <translation>أرسل الصوت %1</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>تسجيل</translation>
    </message>
    <message>
        <source>Record a voice message from the microphone</source>
        <translation>سجّل رسالة صوتية من الميكروفون</translation>
    </message>
    <message>
        <source>No microphone found</source>
        <translation>لم يُعثر على ميكروفون</translation>
    </message>
    <message>
        <source>Stop and send the voice message</source>
        <translation>أوقف التسجيل وأرسل الرسالة الصوتية</translation>
    </message>
    <message>
        <source>Record a voice message</source>
        <translation>سجّل رسالة صوتية</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>Write to %1</source>
        <translation>اكتب إلى %1</translation>
    </message>
    <message>
        <source>Write a message</source>
        <translation>اكتب رسالة</translation>
    </message>
    <message>
        <source>%1 is typing…</source>
        <translation>%1 يكتب…</translation>
    </message>
    <message>
        <source>%1 and %2 are typing…</source>
        <translation>%1 و%2 يكتبان…</translation>
    </message>
    <message>
        <source>Several people are typing…</source>
        <translation>عدة أشخاص يكتبون…</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>الرسالة</translation>
    </message>
    <message>
        <source>Edited message</source>
        <translation>الرسالة المعدّلة</translation>
    </message>
    <message>
        <source>Recording… speak now.</source>
        <translation>جارٍ التسجيل… تكلّم الآن.</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>إرسال</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>حفظ</translation>
    </message>
    <message>
        <source>Online: %1</source>
        <translation>المتصلون: %1</translation>
    </message>
    <message>
        <source>%1, online</source>
        <translation>%1، متصل</translation>
    </message>
    <message>
        <source>%1, away</source>
        <translation>%1، غائب</translation>
    </message>
    <message>
        <source>%1, offline</source>
        <translation>%1، غير متصل</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>تعديل</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>حذف</translation>
    </message>
    <message>
        <source>Delete this message?</source>
        <translation>حذف هذه الرسالة؟</translation>
    </message>
    <message>
        <source>Everyone will see that it was deleted.</source>
        <translation>سيرى الجميع أنها حُذفت.</translation>
    </message>
    <message>
        <source>Send a file</source>
        <translation>إرسال ملف</translation>
    </message>
</context>
<context>
    <name>CustomersScreen</name>
    <message>
        <source>New</source>
        <translation>جديد</translation>
    </message>
    <message>
        <source>Regular</source>
        <translation>منتظم</translation>
    </message>
    <message>
        <source>Top</source>
        <translation>الأفضل</translation>
    </message>
    <message>
        <source>Occasional</source>
        <translation>عرضي</translation>
    </message>
    <message>
        <source>Lapsed</source>
        <translation>منقطع</translation>
    </message>
    <message>
        <source>No purchase yet</source>
        <translation>لا مشتريات بعد</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>الزبناء</translation>
    </message>
    <message>
        <source>Name, phone or email</source>
        <translation>الاسم أو الهاتف أو البريد</translation>
    </message>
    <message>
        <source>Search clients</source>
        <translation>ابحث عن زبناء</translation>
    </message>
    <message>
        <source>New clients</source>
        <translation>زبناء جدد</translation>
    </message>
    <message>
        <source>By month</source>
        <translation>حسب الشهر</translation>
    </message>
    <message>
        <source>By year</source>
        <translation>حسب السنة</translation>
    </message>
    <message>
        <source>New clients per period</source>
        <translation>الزبناء الجدد حسب الفترة</translation>
    </message>
    <message numerus="yes">
        <source>%n purchase(s)</source>
        <translation>
            <numerusform>%n مشتريات</numerusform>
            <numerusform>عملية شراء واحدة</numerusform>
            <numerusform>عمليتا شراء</numerusform>
            <numerusform>%n عمليات شراء</numerusform>
            <numerusform>%n عملية شراء</numerusform>
            <numerusform>%n عملية شراء</numerusform>
        </translation>
    </message>
    <message>
        <source>No client found.</source>
        <translation>لم يُعثر على أي زبون.</translation>
    </message>
</context>
<context>
    <name>DayReportScreen</name>
    <message>
        <source>Day report</source>
        <translation>تقرير اليوم</translation>
    </message>
    <message>
        <source>Previous day</source>
        <translation>اليوم السابق</translation>
    </message>
    <message>
        <source>Next day</source>
        <translation>اليوم التالي</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>اليوم</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>تحديث</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>المبيعات</translation>
    </message>
    <message>
        <source>Returns</source>
        <translation>المرتجعات</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>الإيرادات</translation>
    </message>
    <message>
        <source>Tax</source>
        <translation>الضريبة</translation>
    </message>
    <message>
        <source>Cash withdrawals</source>
        <translation>السحوبات النقدية</translation>
    </message>
    <message>
        <source>Collected</source>
        <translation>المُحصَّل</translation>
    </message>
    <message>
        <source>By payment method</source>
        <translation>حسب طريقة الدفع</translation>
    </message>
    <message>
        <source>No payments on this day.</source>
        <translation>لا توجد مدفوعات في هذا اليوم.</translation>
    </message>
    <message>
        <source>By seller</source>
        <translation>حسب البائع</translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s)</source>
        <translation>
            <numerusform>%n عملية بيع</numerusform>
            <numerusform>عملية بيع واحدة</numerusform>
            <numerusform>عمليتا بيع</numerusform>
            <numerusform>%n عمليات بيع</numerusform>
            <numerusform>%n عملية بيع</numerusform>
            <numerusform>%n عملية بيع</numerusform>
        </translation>
    </message>
    <message>
        <source>Cash sessions</source>
        <translation>جلسات الصندوق</translation>
    </message>
    <message>
        <source>%1 #%2</source>
        <translation>%1 #%2</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>مغلقة</translation>
    </message>
    <message>
        <source>open</source>
        <translation>مفتوحة</translation>
    </message>
    <message>
        <source>expected %1</source>
        <translation>المتوقع %1</translation>
    </message>
    <message>
        <source>counted %1</source>
        <translation>المعدود %1</translation>
    </message>
    <message>
        <source>No cash session on this day.</source>
        <translation>لا توجد جلسة صندوق في هذا اليوم.</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>البنود</translation>
    </message>
    <message>
        <source>Nothing sold on this day.</source>
        <translation>لم يُبَع شيء في هذا اليوم.</translation>
    </message>
</context>
<context>
    <name>ExpensesScreen</name>
    <message>
        <source>Expenses</source>
        <translation>المصاريف</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>بحث</translation>
    </message>
    <message>
        <source>Search expenses</source>
        <translation>البحث في المصاريف</translation>
    </message>
    <message>
        <source>New expense</source>
        <translation>مصروف جديد</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>التاريخ</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>الفئة</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>الوصف</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>المبلغ</translation>
    </message>
    <message numerus="yes">
        <source>%n attachment(s)</source>
        <translation>
            <numerusform>%n مرفق</numerusform>
            <numerusform>مرفق واحد</numerusform>
            <numerusform>مرفقان</numerusform>
            <numerusform>%n مرفقات</numerusform>
            <numerusform>%n مرفقًا</numerusform>
            <numerusform>%n مرفق</numerusform>
        </translation>
    </message>
    <message>
        <source>No expense matches this search.</source>
        <translation>لا يوجد مصروف يطابق هذا البحث.</translation>
    </message>
    <message>
        <source>No expenses recorded yet.</source>
        <translation>لم تُسجَّل أي مصاريف بعد.</translation>
    </message>
    <message>
        <source>Type the amount as a number, e.g. 42.50 or 42,50.</source>
        <translation>اكتب المبلغ بالأرقام، مثلاً 42.50 أو 42,50.</translation>
    </message>
    <message>
        <source>Choose a category.</source>
        <translation>اختر فئة.</translation>
    </message>
    <message>
        <source>Choose a photo of the bill</source>
        <translation>اختر صورة الفاتورة</translation>
    </message>
    <message>
        <source>Photos and PDF (*.jpg *.jpeg *.png *.webp *.pdf)</source>
        <translation>الصور وملفات PDF (*.jpg *.jpeg *.png *.webp *.pdf)</translation>
    </message>
    <message>
        <source>e.g. 125.40</source>
        <translation>مثال: 125.40</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>YYYY-MM-DD</translation>
    </message>
    <message>
        <source>e.g. Electricity bill for March</source>
        <translation>مثال: فاتورة الكهرباء لشهر مارس</translation>
    </message>
    <message>
        <source>Details (optional)</source>
        <translation>التفاصيل (اختياري)</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>التفاصيل</translation>
    </message>
    <message>
        <source>Photo of the bill (optional)</source>
        <translation>صورة الفاتورة (اختياري)</translation>
    </message>
    <message>
        <source>Choose a file…</source>
        <translation>اختر ملفًا…</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>تغيير…</translation>
    </message>
    <message>
        <source>No file chosen</source>
        <translation>لم يتم اختيار أي ملف</translation>
    </message>
    <message>
        <source>Remove the file</source>
        <translation>إزالة الملف</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>حفظ</translation>
    </message>
</context>
<context>
    <name>LanguageBox</name>
    <message>
        <source>Language</source>
        <translation>اللغة</translation>
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
        <translation>لم تُضبط أي طابعة تذاكر.</translation>
    </message>
    <message>
        <source>%1 is neither host:port nor a device path like /dev/usb/lp0.</source>
        <translation>%1 ليس مضيفًا:منفذًا ولا مسار جهاز مثل /dev/usb/lp0.</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>لا رد</translation>
    </message>
    <message>
        <source>The receipt printer %1 did not take the ticket (%2). Check that it is on, connected and has paper, then print again.</source>
        <translation>لم تستقبل طابعة التذاكر %1 التذكرة (%2). تأكد أنها مشغّلة وموصولة وفيها ورق، ثم اطبع مرة أخرى.</translation>
    </message>
</context>
<context>
    <name>Register</name>
    <message>
        <source>Offline: sales are kept and sent later</source>
        <translation>غير متصل: تُحفظ المبيعات وتُرسل لاحقًا</translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s) to send</source>
        <translation>
            <numerusform>%n عملية بيع للإرسال</numerusform>
            <numerusform>عملية بيع واحدة للإرسال</numerusform>
            <numerusform>عمليتا بيع للإرسال</numerusform>
            <numerusform>%n عمليات بيع للإرسال</numerusform>
            <numerusform>%n عملية بيع للإرسال</numerusform>
            <numerusform>%n عملية بيع للإرسال</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s) refused by the server</source>
        <translation>
            <numerusform>%n عملية بيع رفضها الخادم</numerusform>
            <numerusform>عملية بيع واحدة رفضها الخادم</numerusform>
            <numerusform>عمليتا بيع رفضهما الخادم</numerusform>
            <numerusform>%n عمليات بيع رفضها الخادم</numerusform>
            <numerusform>%n عملية بيع رفضها الخادم</numerusform>
            <numerusform>%n عملية بيع رفضها الخادم</numerusform>
        </translation>
    </message>
    <message>
        <source>Return</source>
        <translation>إرجاع</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>الطابعة</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>تسجيل الخروج</translation>
    </message>
    <message>
        <source>Back office</source>
        <translation>المكتب الخلفي</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>طابعة التذاكر</translation>
    </message>
    <message>
        <source>A network printer as host:port (192.168.1.50:9100), a printer plugged into this computer as its device (/dev/usb/lp0), or empty for none.</source>
        <translation>طابعة شبكة بصيغة مضيف:منفذ (192.168.1.50:9100)، أو طابعة موصولة بهذا الحاسوب بمسار جهازها (/dev/usb/lp0)، أو فارغ إن لم تكن هناك طابعة.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>حفظ</translation>
    </message>
    <message>
        <source>Your employee code and PIN</source>
        <translation>رمز الموظف ورمزك السري</translation>
    </message>
    <message>
        <source>Employee code</source>
        <translation>رمز الموظف</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>الرمز السري</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>تسجيل الدخول</translation>
    </message>
    <message>
        <source>This computer is not a register yet. A manager signs in, opens Register mode and pairs it with one of the shop&apos;s registers.</source>
        <translation>هذا الحاسوب ليس صندوقًا بعد. يسجّل مدير الدخول ويفتح وضع الصندوق ويربطه بأحد صناديق المتجر.</translation>
    </message>
    <message>
        <source>Sign in to the back office</source>
        <translation>تسجيل الدخول إلى المكتب الخلفي</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>إنهاء</translation>
    </message>
    <message>
        <source>No cash session is open. Count the cash in the drawer to open one.</source>
        <translation>لا توجد جلسة صندوق مفتوحة. عُدّ النقود في الدرج لفتح جلسة.</translation>
    </message>
    <message>
        <source>Opening float</source>
        <translation>رصيد الافتتاح</translation>
    </message>
    <message>
        <source>Open the drawer</source>
        <translation>افتح الدرج</translation>
    </message>
    <message>
        <source>Basket</source>
        <translation>السلة</translation>
    </message>
    <message>
        <source>Basket (%1)</source>
        <translation>السلة (%1)</translation>
    </message>
    <message>
        <source>Sub-account</source>
        <translation>الحساب الفرعي</translation>
    </message>
    <message>
        <source>Sub-account (%1)</source>
        <translation>الحساب الفرعي (%1)</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>الزبون</translation>
    </message>
    <message>
        <source>Points: %1</source>
        <translation>النقاط: %1</translation>
    </message>
    <message>
        <source>No customer on this sale</source>
        <translation>لا زبون في هذا البيع</translation>
    </message>
    <message>
        <source>Discount −%1</source>
        <translation>تخفيض −%1</translation>
    </message>
    <message>
        <source>Remove the line</source>
        <translation>احذف السطر</translation>
    </message>
    <message>
        <source>Scan a product or tap it.</source>
        <translation>امسح منتجًا أو اضغط عليه.</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>المجموع</translation>
    </message>
    <message>
        <source>Change %1</source>
        <translation>الباقي %1</translation>
    </message>
    <message>
        <source>Return %1 · %2 given back in cash</source>
        <translation>الإرجاع %1 · أُعيد %2 نقدًا</translation>
    </message>
    <message>
        <source>Ticket %1 · %2 · change %3</source>
        <translation>التذكرة %1 · %2 · الباقي %3</translation>
    </message>
    <message>
        <source>Ticket %1 · %2</source>
        <translation>التذكرة %1 · %2</translation>
    </message>
    <message>
        <source>Ticket %1 (provisional, offline) · %2 · change %3</source>
        <translation>التذكرة %1 (مؤقتة، دون اتصال) · %2 · الباقي %3</translation>
    </message>
    <message>
        <source>Ticket %1 (provisional, offline) · %2</source>
        <translation>التذكرة %1 (مؤقتة، دون اتصال) · %2</translation>
    </message>
    <message>
        <source>Sale saved on this computer: it will be sent when the server is back.</source>
        <translation>حُفظ البيع على هذا الحاسوب: سيُرسل عند عودة الخادم.</translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s) saved on this computer reached the server.</source>
        <translation>
            <numerusform>وصلت %n عملية بيع محفوظة على هذا الحاسوب إلى الخادم.</numerusform>
            <numerusform>وصلت عملية بيع واحدة محفوظة على هذا الحاسوب إلى الخادم.</numerusform>
            <numerusform>وصلت عمليتا بيع محفوظتان على هذا الحاسوب إلى الخادم.</numerusform>
            <numerusform>وصلت %n عمليات بيع محفوظة على هذا الحاسوب إلى الخادم.</numerusform>
            <numerusform>وصلت %n عملية بيع محفوظة على هذا الحاسوب إلى الخادم.</numerusform>
            <numerusform>وصلت %n عملية بيع محفوظة على هذا الحاسوب إلى الخادم.</numerusform>
        </translation>
    </message>
    <message>
        <source>Hide this message</source>
        <translation>إخفاء هذه الرسالة</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>The ticket prints when the sale reaches the server.</source>
        <translation>تُطبع التذكرة عندما يصل البيع إلى الخادم.</translation>
    </message>
    <message>
        <source>Print again</source>
        <translation>اطبع مرة أخرى</translation>
    </message>
    <message>
        <source>Code or quantity</source>
        <translation>الرمز أو الكمية</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>الكمية</translation>
    </message>
    <message>
        <source>Add by code</source>
        <translation>أضف بالرمز</translation>
    </message>
    <message>
        <source>Withdrawal</source>
        <translation>سحب نقدي</translation>
    </message>
    <message>
        <source>Type the cash to hand to the customer, then tap Withdrawal.</source>
        <translation>اكتب المبلغ النقدي الذي تسلّمه للزبون، ثم اضغط سحب نقدي.</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>تخفيض</translation>
    </message>
    <message>
        <source>Type the amount off the chosen line, then tap Discount.</source>
        <translation>اكتب المبلغ المخصوم من السطر المختار، ثم اضغط تخفيض.</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>نقدًا</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>بطاقة</translation>
    </message>
    <message>
        <source>Phone (QR)</source>
        <translation>الهاتف (QR)</translation>
    </message>
    <message>
        <source>Cancel the basket</source>
        <translation>ألغِ السلة</translation>
    </message>
    <message>
        <source>Customer of the sub-account</source>
        <translation>زبون الحساب الفرعي</translation>
    </message>
    <message>
        <source>Customer of the sale</source>
        <translation>زبون البيع</translation>
    </message>
    <message>
        <source>Name, phone number or loyalty card</source>
        <translation>الاسم أو رقم الهاتف أو بطاقة الولاء</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>بحث</translation>
    </message>
    <message>
        <source>Ticket number, e.g. 000123</source>
        <translation>رقم التذكرة، مثلًا 000123</translation>
    </message>
    <message>
        <source>Several tickets have this number. Which one did the customer bring?</source>
        <translation>عدة تذاكر تحمل هذا الرقم. أيّها أحضر الزبون؟</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 · %4</source>
        <translation>%1 · %2 · %3 · %4</translation>
    </message>
    <message>
        <source>Ticket %1 · %2 · %3 · %4</source>
        <translation>التذكرة %1 · %2 · %3 · %4</translation>
    </message>
    <message>
        <source>Sold %1 × %2 · already back %3</source>
        <translation>بيع %1 × %2 · أُرجع من قبل %3</translation>
    </message>
    <message>
        <source>One less</source>
        <translation>واحد أقل</translation>
    </message>
    <message>
        <source>One more</source>
        <translation>واحد أكثر</translation>
    </message>
    <message>
        <source>Why does it come back?</source>
        <translation>لماذا يُرجَع؟</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>تالف</translation>
    </message>
    <message>
        <source>Wrong item</source>
        <translation>سلعة خاطئة</translation>
    </message>
    <message>
        <source>Changed their mind</source>
        <translation>غيّر رأيه</translation>
    </message>
    <message>
        <source>Everything</source>
        <translation>الكل</translation>
    </message>
    <message>
        <source>Refund %1 in cash</source>
        <translation>استرداد %1 نقدًا</translation>
    </message>
    <message>
        <source>Pay %1 by phone</source>
        <translation>ادفع %1 بالهاتف</translation>
    </message>
    <message>
        <source>QR code to pay by phone</source>
        <translation>رمز QR للدفع بالهاتف</translation>
    </message>
    <message>
        <source>Waiting for the customer&apos;s payment…</source>
        <translation>في انتظار دفع الزبون…</translation>
    </message>
    <message>
        <source>Cancel the QR payment</source>
        <translation>ألغِ الدفع بـ QR</translation>
    </message>
    <message>
        <source>This computer is now the register “%1”.</source>
        <translation>هذا الحاسوب أصبح الآن الصندوق «%1».</translation>
    </message>
    <message>
        <source>A customer is paying by phone. Wait for the payment, or cancel the QR payment, before signing out or leaving the register.</source>
        <translation>زبون يدفع بالهاتف. انتظر الدفع، أو ألغِ الدفع بـ QR، قبل تسجيل الخروج أو مغادرة الصندوق.</translation>
    </message>
    <message>
        <source>Type your employee code.</source>
        <translation>اكتب رمز الموظف الخاص بك.</translation>
    </message>
    <message>
        <source>Type your PIN.</source>
        <translation>اكتب رمزك السري.</translation>
    </message>
    <message>
        <source>Type your employee code and your PIN.</source>
        <translation>اكتب رمز الموظف ورمزك السري.</translation>
    </message>
    <message>
        <source>Not locked: a payment or a sale waiting for the server needs this cashier.</source>
        <translation>لم يُقفل: دفعة أو بيع في انتظار الخادم يحتاج إلى هذا البائع.</translation>
    </message>
    <message>
        <source>Locked after a while without use. Sign in again to go on.</source>
        <translation>أُقفل بعد مدة دون استعمال. سجّل الدخول من جديد للمتابعة.</translation>
    </message>
    <message>
        <source>Sales made here are still waiting for the server (%1). Sign out once they are sent.</source>
        <translation>ما زالت مبيعات تمت هنا تنتظر الخادم (%1). سجّل الخروج بعد إرسالها.</translation>
    </message>
    <message>
        <source>Type the cash in the drawer, e.g. 100.</source>
        <translation>اكتب النقود الموجودة في الدرج، مثلًا 100.</translation>
    </message>
    <message>
        <source>A positive amount.</source>
        <translation>مبلغ موجب.</translation>
    </message>
    <message>
        <source>Type a quantity, then ×.</source>
        <translation>اكتب الكمية، ثم ×.</translation>
    </message>
    <message>
        <source>No product with code %1 in this register&apos;s catalog.</source>
        <translation>لا يوجد منتج بالرمز %1 في كتالوج هذا الصندوق.</translation>
    </message>
    <message>
        <source>No product with code %1.</source>
        <translation>لا يوجد منتج بالرمز %1.</translation>
    </message>
    <message>
        <source>You may not give discounts.</source>
        <translation>لا يحق لك منح تخفيضات.</translation>
    </message>
    <message>
        <source>Tap a product line first.</source>
        <translation>اضغط أولًا على سطر منتج.</translation>
    </message>
    <message>
        <source>Type the amount off the line, then Discount.</source>
        <translation>اكتب المبلغ المخصوم من السطر، ثم تخفيض.</translation>
    </message>
    <message>
        <source>The discount cannot be more than the line (%1).</source>
        <translation>لا يمكن أن يتجاوز التخفيض قيمة السطر (%1).</translation>
    </message>
    <message>
        <source>Type the cash to hand over, then Withdrawal.</source>
        <translation>اكتب المبلغ النقدي المسلَّم، ثم سحب نقدي.</translation>
    </message>
    <message>
        <source>Cash withdrawal</source>
        <translation>سحب نقدي</translation>
    </message>
    <message>
        <source>%1 is the customer of this sale.</source>
        <translation>%1 هو زبون هذا البيع.</translation>
    </message>
    <message>
        <source>Return %1 recorded: give %2 back in cash.</source>
        <translation>تم تسجيل الإرجاع %1: أعِد %2 نقدًا.</translation>
    </message>
    <message>
        <source>The customer gave less than the total (%1).</source>
        <translation>أعطى الزبون أقل من المجموع (%1).</translation>
    </message>
    <message>
        <source>At least the total.</source>
        <translation>على الأقل المجموع.</translation>
    </message>
    <message>
        <source>The basket is empty.</source>
        <translation>السلة فارغة.</translation>
    </message>
    <message>
        <source>Phone payment needs the server. Take cash or card.</source>
        <translation>الدفع بالهاتف يحتاج إلى الخادم. خذ نقدًا أو بطاقة.</translation>
    </message>
    <message>
        <source>The QR payment was cancelled.</source>
        <translation>أُلغي الدفع بـ QR.</translation>
    </message>
    <message>
        <source>The QR code expired: start the phone payment again.</source>
        <translation>انتهت صلاحية رمز QR: ابدأ الدفع بالهاتف من جديد.</translation>
    </message>
    <message>
        <source>Payment accepted.</source>
        <translation>تم قبول الدفع.</translation>
    </message>
    <message>
        <source>Points: +%1 (balance %2)</source>
        <translation>النقاط: +%1 (الرصيد %2)</translation>
    </message>
    <message>
        <source>Points: none for this sale (balance %1)</source>
        <translation>النقاط: لا شيء عن هذا البيع (الرصيد %1)</translation>
    </message>
    <message>
        <source>The server refused a sale: %1</source>
        <translation>رفض الخادم عملية بيع: %1</translation>
    </message>
    <message>
        <source>This sale is waiting for the server: its ticket prints as soon as the server records it.</source>
        <translation>هذا البيع ينتظر الخادم: ستُطبع تذكرته فور تسجيله لدى الخادم.</translation>
    </message>
    <message>
        <source>Ticket printed.</source>
        <translation>طُبعت التذكرة.</translation>
    </message>
    <message>
        <source>Type a name or a phone number, or scan the loyalty card.</source>
        <translation>اكتب اسمًا أو رقم هاتف، أو امسح بطاقة الولاء.</translation>
    </message>
    <message>
        <source>No customer found for %1.</source>
        <translation>لم يُعثر على زبون لـ %1.</translation>
    </message>
    <message>
        <source>Type or scan the number printed on the ticket.</source>
        <translation>اكتب أو امسح الرقم المطبوع على التذكرة.</translation>
    </message>
    <message>
        <source>No ticket %1.</source>
        <translation>لا توجد تذكرة %1.</translation>
    </message>
    <message>
        <source>Ticket %1 has no product to take back.</source>
        <translation>لا تحتوي التذكرة %1 على أي منتج للإرجاع.</translation>
    </message>
    <message>
        <source>Everything on ticket %1 was already brought back.</source>
        <translation>كل ما في التذكرة %1 أُرجع من قبل.</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>Enter your email address and your password.</source>
        <translation>أدخل بريدك الإلكتروني وكلمة المرور.</translation>
    </message>
    <message>
        <source>Required.</source>
        <translation>مطلوب.</translation>
    </message>
    <message>
        <source>Enter your email address.</source>
        <translation>أدخل بريدك الإلكتروني.</translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation>كلمتا المرور غير متطابقتين.</translation>
    </message>
    <message>
        <source>Type the same password.</source>
        <translation>اكتب كلمة المرور نفسها.</translation>
    </message>
    <message>
        <source>This registration has expired. Check the store and continue again.</source>
        <translation>انتهت صلاحية هذا التسجيل. راجع بيانات المحل وتابع من جديد.</translation>
    </message>
    <message>
        <source>Hanout desktop on %1</source>
        <translation>Hanout لسطح المكتب على %1</translation>
    </message>
    <message>
        <source>Confirm your email address first: open the link in the email Hanout sent you, then sign in again.</source>
        <translation>أكّد بريدك الإلكتروني أولًا: افتح الرابط في الرسالة التي أرسلها إليك Hanout، ثم سجّل الدخول مرة أخرى.</translation>
    </message>
    <message>
        <source>The email address or the password is not right.</source>
        <translation>البريد الإلكتروني أو كلمة المرور غير صحيحة.</translation>
    </message>
    <message>
        <source>That step has expired. Sign in again.</source>
        <translation>انتهت صلاحية هذه الخطوة. سجّل الدخول مرة أخرى.</translation>
    </message>
    <message>
        <source>You were signed out: the token was revoked or your access ended.</source>
        <translation>تم تسجيل خروجك: أُلغي الرمز المميز أو انتهى وصولك.</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <source>Server unreachable</source>
        <translation>تعذّر الوصول إلى الخادم</translation>
    </message>
    <message>
        <source>Register mode</source>
        <translation>وضع الصندوق</translation>
    </message>
    <message>
        <source>Pair with another register</source>
        <translation>الربط بصندوق آخر</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>تسجيل الخروج</translation>
    </message>
    <message>
        <source>Make this computer a register</source>
        <translation>اجعل هذا الحاسوب صندوقًا</translation>
    </message>
    <message>
        <source>Sales made here will be this register&apos;s. Cashiers sign in with their employee code and PIN.</source>
        <translation>المبيعات التي تتم هنا ستُسجّل لهذا الصندوق. يسجّل أمناء الصندوق الدخول برمز الموظف والرمز السري.</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>الصندوق</translation>
    </message>
    <message>
        <source>This store has no register yet. Add one on the web, under Register → Registers, then open this window again.</source>
        <translation>ليس لهذا المتجر صندوق بعد. أضف صندوقًا على الويب، في الصندوق ← الصناديق، ثم افتح هذه النافذة من جديد.</translation>
    </message>
    <message>
        <source>This computer is the register “%1”: pairing it again replaces that, and its old key stops working.</source>
        <translation>هذا الحاسوب هو الصندوق «%1»: ربطه من جديد يحلّ محلّ ذلك، ويتوقف مفتاحه القديم عن العمل.</translation>
    </message>
    <message>
        <source>Name of this computer, e.g. Counter</source>
        <translation>اسم هذا الحاسوب، مثلًا الكونتوار</translation>
    </message>
    <message>
        <source>Pair and open the register</source>
        <translation>اربط وافتح الصندوق</translation>
    </message>
    <message>
        <source>This computer is not a register yet. Ask an owner or a manager to make this computer a register.</source>
        <translation>هذا الحاسوب ليس صندوقًا بعد. اطلب من المالك أو المدير أن يجعل هذا الحاسوب صندوقًا.</translation>
    </message>
    <message>
        <source>Another store&apos;s register</source>
        <translation>صندوق متجر آخر</translation>
    </message>
    <message>
        <source>This computer is the register “%1” of %2, not of %3.</source>
        <translation>هذا الحاسوب هو الصندوق «%1» التابع لـ %2، وليس لـ %3.</translation>
    </message>
    <message>
        <source>This computer is the register “%1” of another business.</source>
        <translation>هذا الحاسوب هو الصندوق «%1» التابع لنشاط تجاري آخر.</translation>
    </message>
    <message>
        <source>Pair it with one of this store&apos;s registers instead?</source>
        <translation>هل تربطه بأحد صناديق هذا المتجر بدلًا من ذلك؟</translation>
    </message>
    <message>
        <source>Ask an owner or a manager to make this computer one of this store&apos;s registers.</source>
        <translation>اطلب من المالك أو المدير أن يجعل هذا الحاسوب أحد صناديق هذا المتجر.</translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s) made at that register wait to be sent. Open the register as its store first, so that they reach the server.</source>
        <translation>
            <numerusform>لا مبيعات من ذلك الصندوق تنتظر الإرسال.</numerusform>
            <numerusform>بيع واحد من ذلك الصندوق ينتظر الإرسال. افتح الصندوق باسم متجره أولًا ليصل إلى الخادم.</numerusform>
            <numerusform>بيعان من ذلك الصندوق ينتظران الإرسال. افتح الصندوق باسم متجره أولًا ليصلا إلى الخادم.</numerusform>
            <numerusform>%n مبيعات من ذلك الصندوق تنتظر الإرسال. افتح الصندوق باسم متجره أولًا لتصل إلى الخادم.</numerusform>
            <numerusform>%n بيعًا من ذلك الصندوق تنتظر الإرسال. افتح الصندوق باسم متجره أولًا لتصل إلى الخادم.</numerusform>
            <numerusform>%n بيع من ذلك الصندوق تنتظر الإرسال. افتح الصندوق باسم متجره أولًا لتصل إلى الخادم.</numerusform>
        </translation>
    </message>
    <message>
        <source>Pair with this store</source>
        <translation>اربطه بهذا المتجر</translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation>الكتالوج</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>المخزون</translation>
    </message>
    <message>
        <source>Expenses</source>
        <translation>المصاريف</translation>
    </message>
    <message>
        <source>Suppliers</source>
        <translation>الموردون</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>الزبناء</translation>
    </message>
    <message>
        <source>Employees</source>
        <translation>الموظفون</translation>
    </message>
    <message>
        <source>Sponsorship</source>
        <translation>الرعاية</translation>
    </message>
    <message>
        <source>Day report</source>
        <translation>تقرير اليوم</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>الدردشة</translation>
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
        <translation>التحقق بخطوتين</translation>
    </message>
    <message>
        <source>Check your email</source>
        <translation>تحقق من بريدك الإلكتروني</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>تسجيل الدخول</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>الخادم</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>البريد الإلكتروني</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>كلمة المرور</translation>
    </message>
    <message>
        <source>Email me a sign-in code instead</source>
        <translation>أرسل لي رمز تسجيل الدخول بالبريد الإلكتروني بدلًا من ذلك</translation>
    </message>
    <message>
        <source>Register a new store</source>
        <translation>سجّل محلًا جديدًا</translation>
    </message>
    <message>
        <source>We sent a sign-in code to %1. Type it here.</source>
        <translation>أرسلنا رمز تسجيل الدخول إلى %1. اكتبه هنا.</translation>
    </message>
    <message>
        <source>Open your authenticator app and type the 6-digit code for Hanout.</source>
        <translation>افتح تطبيق المصادقة واكتب الرمز المكوّن من 6 أرقام الخاص بـ Hanout.</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>متابعة</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>رجوع</translation>
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
        <translation>اللغة</translation>
    </message>
    <message>
        <source>Register a store</source>
        <translation>سجّل محلك</translation>
    </message>
    <message>
        <source>Step 1 of 2: the store</source>
        <translation>الخطوة 1 من 2: المحل</translation>
    </message>
    <message>
        <source>Step 2 of 2: its manager</source>
        <translation>الخطوة 2 من 2: مسيّره</translation>
    </message>
    <message>
        <source>Business name</source>
        <translation>اسم المحل</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>البلد</translation>
    </message>
    <message>
        <source>Choose the country</source>
        <translation>اختر البلد</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>العملة</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>المنطقة الزمنية</translation>
    </message>
    <message>
        <source>First shop&apos;s name</source>
        <translation>اسم المتجر الأول</translation>
    </message>
    <message>
        <source>Leave empty to use the business name.</source>
        <translation>اتركه فارغًا لاستعمال اسم المحل.</translation>
    </message>
    <message>
        <source>First shop&apos;s address</source>
        <translation>عنوان المتجر الأول</translation>
    </message>
    <message>
        <source>Default language</source>
        <translation>اللغة الافتراضية</translation>
    </message>
    <message>
        <source>Referral code (optional)</source>
        <translation>رمز الإحالة (اختياري)</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>متابعة</translation>
    </message>
    <message>
        <source>The manager of %1. You will receive an email to confirm your address.</source>
        <translation>مسيّر %1. ستصلك رسالة بالبريد الإلكتروني لتأكيد عنوانك.</translation>
    </message>
    <message>
        <source>Invited by %1.</source>
        <translation>بدعوة من %1.</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>الاسم الكامل</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>عنوان البريد الإلكتروني</translation>
    </message>
    <message>
        <source>Phone (optional)</source>
        <translation>الهاتف (اختياري)</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>كلمة المرور</translation>
    </message>
    <message>
        <source>Password (again)</source>
        <translation>كلمة المرور (مرة أخرى)</translation>
    </message>
    <message>
        <source>Create the store</source>
        <translation>إنشاء المحل</translation>
    </message>
    <message>
        <source>Change the store</source>
        <translation>تغيير المحل</translation>
    </message>
    <message>
        <source>%1 is registered. We sent an email to %2: open its link to confirm your address, then sign in here.</source>
        <translation>تم تسجيل %1. أرسلنا رسالة إلى %2: افتح رابطها لتأكيد عنوانك، ثم سجّل الدخول هنا.</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>تسجيل الدخول</translation>
    </message>
    <message>
        <source>I already have an account</source>
        <translation>لدي حساب بالفعل</translation>
    </message>
</context>
<context>
    <name>SponsorshipScreen</name>
    <message>
        <source>One-time reward</source>
        <translation>مكافأة لمرة واحدة</translation>
    </message>
    <message>
        <source>Share of fees</source>
        <translation>حصة من الرسوم</translation>
    </message>
    <message>
        <source>Reversal</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>Sponsorship</source>
        <translation>الرعاية</translation>
    </message>
    <message>
        <source>Your sponsorship code</source>
        <translation>رمز الرعاية الخاص بك</translation>
    </message>
    <message>
        <source>Registration link</source>
        <translation>رابط التسجيل</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>نسخ</translation>
    </message>
    <message>
        <source>Earned from sponsoring</source>
        <translation>المكسب من الرعاية</translation>
    </message>
    <message>
        <source>Businesses sponsored</source>
        <translation>المتاجر المرعية</translation>
    </message>
    <message>
        <source>Active now</source>
        <translation>النشطة الآن</translation>
    </message>
    <message>
        <source>Programme “%1”: %2 %3 once a sponsored business has been active %4 days, then %5% of its fees for %6 months.</source>
        <translation>البرنامج «%1»: %2 %3 بعد أن يكون المتجر المرعي نشطًا %4 يومًا، ثم %5% من رسومه لمدة %6 شهرًا.</translation>
    </message>
    <message>
        <source>Invitation sent to %1.</source>
        <translation>أُرسلت الدعوة إلى %1.</translation>
    </message>
    <message>
        <source>Invite a business by email</source>
        <translation>ادعُ متجرًا بالبريد الإلكتروني</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>عنوان البريد الإلكتروني</translation>
    </message>
    <message>
        <source>A word from you (optional)</source>
        <translation>كلمة منك (اختياري)</translation>
    </message>
    <message>
        <source>Send the invitation</source>
        <translation>أرسل الدعوة</translation>
    </message>
    <message>
        <source>active</source>
        <translation>نشط</translation>
    </message>
    <message>
        <source>inactive</source>
        <translation>غير نشط</translation>
    </message>
    <message>
        <source>No business registered with your code yet.</source>
        <translation>لم يسجّل أي متجر برمزك بعد.</translation>
    </message>
    <message>
        <source>Rewards</source>
        <translation>المكافآت</translation>
    </message>
    <message>
        <source>No reward yet.</source>
        <translation>لا توجد مكافآت بعد.</translation>
    </message>
</context>
<context>
    <name>StaffScreen</name>
    <message>
        <source>Catalog</source>
        <translation>الكتالوج</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>المخزون</translation>
    </message>
    <message>
        <source>Suppliers</source>
        <translation>الموردون</translation>
    </message>
    <message>
        <source>Purchasing</source>
        <translation>المشتريات</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>المبيعات</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>الصندوق</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>الزبناء</translation>
    </message>
    <message>
        <source>Expenses</source>
        <translation>المصاريف</translation>
    </message>
    <message>
        <source>Sponsorship</source>
        <translation>الرعاية</translation>
    </message>
    <message>
        <source>Marketplace</source>
        <translation>السوق</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>الدردشة</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>التقارير</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>الموظفون</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>الإعدادات</translation>
    </message>
    <message>
        <source>No access</source>
        <translation>بدون وصول</translation>
    </message>
    <message>
        <source>Read only</source>
        <translation>قراءة فقط</translation>
    </message>
    <message>
        <source>Full access</source>
        <translation>وصول كامل</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>المالك</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>المدير</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>موظف</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>أمين الصندوق</translation>
    </message>
    <message>
        <source>Employees</source>
        <translation>الموظفون</translation>
    </message>
    <message>
        <source>Search by name, email or code</source>
        <translation>ابحث بالاسم أو البريد الإلكتروني أو الرقم</translation>
    </message>
    <message>
        <source>Search employees</source>
        <translation>البحث في الموظفين</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>نشط</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>غير نشط</translation>
    </message>
    <message>
        <source>No employee matches this search.</source>
        <translation>لا يوجد موظف يطابق هذا البحث.</translation>
    </message>
    <message>
        <source>No employees yet.</source>
        <translation>لا يوجد موظفون بعد.</translation>
    </message>
    <message>
        <source>Choose an employee to see their access.</source>
        <translation>اختر موظفًا لعرض صلاحيات وصوله.</translation>
    </message>
    <message>
        <source>Code %1</source>
        <translation>الرقم %1</translation>
    </message>
    <message>
        <source>Deactivated on %1</source>
        <translation>عُطّل في %1</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>تعطيل</translation>
    </message>
    <message>
        <source>Reactivate</source>
        <translation>إعادة تفعيل</translation>
    </message>
    <message>
        <source>Access by module</source>
        <translation>الوصول حسب القسم</translation>
    </message>
    <message>
        <source>“Role default” follows the role; any other choice applies to this employee only.</source>
        <translation>«حسب الدور» يتبع الدور؛ وأي اختيار آخر ينطبق على هذا الموظف فقط.</translation>
    </message>
    <message>
        <source>What this employee may see and change in each module.</source>
        <translation>ما يمكن لهذا الموظف رؤيته وتعديله في كل قسم.</translation>
    </message>
    <message>
        <source>Set for this employee</source>
        <translation>محدد لهذا الموظف</translation>
    </message>
    <message>
        <source>Role default</source>
        <translation>حسب الدور</translation>
    </message>
    <message>
        <source>None</source>
        <translation>بدون</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>قراءة</translation>
    </message>
    <message>
        <source>Full</source>
        <translation>كامل</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Deactivate %1?</source>
        <translation>تعطيل %1؟</translation>
    </message>
    <message>
        <source>They can no longer sign in, their API tokens are revoked, and their history is kept. You can reactivate them later.</source>
        <translation>لن يتمكن بعد الآن من تسجيل الدخول، وتُلغى رموز API الخاصة به، ويُحتفظ بسجله. يمكنك إعادة تفعيله لاحقًا.</translation>
    </message>
    <message>
        <source>Note (optional)</source>
        <translation>ملاحظة (اختياري)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
</context>
<context>
    <name>StockScreen</name>
    <message>
        <source>Search by product name, SKU or barcode</source>
        <translation>ابحث باسم المنتج أو SKU أو الباركود</translation>
    </message>
    <message>
        <source>Low stock only</source>
        <translation>المخزون المنخفض فقط</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>المنتج</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>الموقع</translation>
    </message>
    <message>
        <source>On hand</source>
        <translation>المتوفر</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>المتاح</translation>
    </message>
    <message>
        <source>SKU %1</source>
        <translation>SKU %1</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>منخفض</translation>
    </message>
    <message>
        <source>No product is low on stock.</source>
        <translation>لا يوجد منتج بمخزون منخفض.</translation>
    </message>
    <message>
        <source>No stock levels match.</source>
        <translation>لا توجد مستويات مخزون مطابقة.</translation>
    </message>
</context>
<context>
    <name>SuppliersScreen</name>
    <message>
        <source>Suppliers</source>
        <translation>الموردون</translation>
    </message>
    <message>
        <source>Search suppliers</source>
        <translation>البحث في الموردين</translation>
    </message>
    <message numerus="yes">
        <source>%n product(s)</source>
        <translation>
            <numerusform>%n منتج</numerusform>
            <numerusform>منتج واحد</numerusform>
            <numerusform>منتجان</numerusform>
            <numerusform>%n منتجات</numerusform>
            <numerusform>%n منتجًا</numerusform>
            <numerusform>%n منتج</numerusform>
        </translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>غير نشط</translation>
    </message>
    <message>
        <source>No supplier matches this search.</source>
        <translation>لا يوجد مورد يطابق هذا البحث.</translation>
    </message>
    <message>
        <source>No suppliers yet.</source>
        <translation>لا يوجد موردون بعد.</translation>
    </message>
    <message>
        <source>Spend per supplier</source>
        <translation>الإنفاق حسب المورد</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>آخر 30 يومًا</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>آخر 90 يومًا</translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation>آخر 12 شهرًا</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>الفترة</translation>
    </message>
    <message>
        <source>Invoices dated in the period, tax included: %1 in all.</source>
        <translation>الفواتير المؤرخة خلال الفترة، شاملة الضريبة: %1 في المجموع.</translation>
    </message>
    <message>
        <source>The spend per supplier comes from Purchasing; you have no access to it.</source>
        <translation>يأتي الإنفاق حسب المورد من المشتريات؛ وليس لديك وصول إليها.</translation>
    </message>
    <message>
        <source>No supplier invoice in this period.</source>
        <translation>لا توجد فاتورة مورد في هذه الفترة.</translation>
    </message>
</context>
<context>
    <name>Voice</name>
    <message>
        <source>No microphone found. Plug one in, or allow the app to use it.</source>
        <translation>لم يُعثر على ميكروفون. وصّل واحدًا، أو اسمح للتطبيق باستعماله.</translation>
    </message>
    <message>
        <source>Too short to send: hold on a little longer while you speak.</source>
        <translation>قصيرة جدًا للإرسال: سجّل مدة أطول قليلًا.</translation>
    </message>
    <message>
        <source>The recording stopped: %1</source>
        <translation>توقف التسجيل: %1</translation>
    </message>
    <message>
        <source>Cannot play this voice message: %1</source>
        <translation>تعذّر تشغيل هذه الرسالة الصوتية: %1</translation>
    </message>
</context>
</TS>
