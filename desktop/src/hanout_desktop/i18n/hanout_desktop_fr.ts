<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>Api</name>
    <message>
        <source>The server failed (HTTP %1). Try again; if it goes on, tell the operator.</source>
        <translation>Le serveur a échoué (HTTP %1). Réessayez ; si cela continue, prévenez l&apos;opérateur.</translation>
    </message>
    <message>
        <source>The server refused the request (HTTP %1).</source>
        <translation>Le serveur a refusé la requête (HTTP %1).</translation>
    </message>
    <message>
        <source>The server took too long to answer. Check the connection and try again.</source>
        <translation>Le serveur a mis trop de temps à répondre. Vérifiez la connexion et réessayez.</translation>
    </message>
    <message>
        <source>Cannot reach the server at %1: %2</source>
        <translation>Impossible de joindre le serveur %1 : %2</translation>
    </message>
    <message>
        <source>The server sent an answer that is not JSON.</source>
        <translation>Le serveur a envoyé une réponse qui n&apos;est pas du JSON.</translation>
    </message>
    <message>
        <source>Cannot read %1</source>
        <translation>Impossible de lire %1</translation>
    </message>
</context>
<context>
    <name>CatalogScreen</name>
    <message>
        <source>Categories</source>
        <translation>Catégories</translation>
    </message>
    <message>
        <source>Collapse</source>
        <translation>Replier</translation>
    </message>
    <message>
        <source>Expand</source>
        <translation>Déplier</translation>
    </message>
    <message>
        <source>All products</source>
        <translation>Tous les produits</translation>
    </message>
    <message>
        <source>Search by name, SKU or barcode</source>
        <translation>Rechercher par nom, SKU ou code-barres</translation>
    </message>
    <message>
        <source>%1+ products</source>
        <translation>%1+ produits</translation>
    </message>
    <message numerus="yes">
        <source>%n product(s)</source>
        <translation>
            <numerusform>%n produit</numerusform>
            <numerusform>%n produits</numerusform>
        </translation>
    </message>
    <message>
        <source>SKU %1</source>
        <translation>SKU %1</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inactif</translation>
    </message>
    <message>
        <source>No product matches “%1”.</source>
        <translation>Aucun produit ne correspond à « %1 ».</translation>
    </message>
    <message>
        <source>No products in this category.</source>
        <translation>Aucun produit dans cette catégorie.</translation>
    </message>
</context>
<context>
    <name>Chat</name>
    <message>
        <source>Former member</source>
        <translation>Ancien membre</translation>
    </message>
    <message>
        <source>The chat refused this sign-in (signed out, or no access to Chat).</source>
        <translation>Le chat a refusé cette connexion (déconnecté, ou pas d&apos;accès au Chat).</translation>
    </message>
    <message>
        <source>You have no access to the chat.</source>
        <translation>Vous n&apos;avez pas accès au chat.</translation>
    </message>
    <message>
        <source>Cannot read %1</source>
        <translation>Impossible de lire %1</translation>
    </message>
    <message>
        <source>Voice message</source>
        <translation>Message vocal</translation>
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
        <translation>%1 Mo</translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation>%1 Ko</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 octets</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <source>Search this conversation</source>
        <translation>Rechercher dans cette conversation</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Connecté</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Non connecté</translation>
    </message>
    <message>
        <source>Offline, reconnecting…</source>
        <translation>Hors ligne, reconnexion…</translation>
    </message>
    <message>
        <source>%1 online</source>
        <translation>%1 en ligne</translation>
    </message>
    <message numerus="yes">
        <source>%1, %n unread</source>
        <translation>
            <numerusform>%1, %n non lu</numerusform>
            <numerusform>%1, %n non lus</numerusform>
        </translation>
    </message>
    <message>
        <source>No conversations yet.</source>
        <translation>Aucune conversation pour l&apos;instant.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Chargement…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Recherche…</translation>
    </message>
    <message>
        <source>No message found.</source>
        <translation>Aucun message trouvé.</translation>
    </message>
    <message>
        <source>Messages found: %1</source>
        <translation>Messages trouvés : %1</translation>
    </message>
    <message>
        <source>%1, %2: %3</source>
        <translation>%1, %2 : %3</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Pause the voice message</source>
        <translation>Mettre le message vocal en pause</translation>
    </message>
    <message>
        <source>Play the voice message</source>
        <translation>Lire le message vocal</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation>Ouvrir %1</translation>
    </message>
    <message>
        <source>This message was deleted.</source>
        <translation>Ce message a été supprimé.</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>Non envoyé</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Envoi…</translation>
    </message>
    <message>
        <source>%1 (edited)</source>
        <translation>%1 (modifié)</translation>
    </message>
    <message>
        <source>Edit or delete this message</source>
        <translation>Modifier ou supprimer ce message</translation>
    </message>
    <message>
        <source>No messages yet. Say hello!</source>
        <translation>Aucun message pour l&apos;instant. Dites bonjour !</translation>
    </message>
    <message>
        <source>Editing your message. Enter saves, Escape cancels.</source>
        <translation>Modification de votre message. Entrée enregistre, Échap annule.</translation>
    </message>
    <message>
        <source>Attach…</source>
        <translation>Joindre…</translation>
    </message>
    <message>
        <source>Attach a file or a photo</source>
        <translation>Joindre un fichier ou une photo</translation>
    </message>
    <message>
        <source>Send voice %1</source>
        <translation>Envoyer la voix %1</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <source>Record a voice message from the microphone</source>
        <translation>Enregistrer un message vocal au microphone</translation>
    </message>
    <message>
        <source>No microphone found</source>
        <translation>Aucun microphone trouvé</translation>
    </message>
    <message>
        <source>Stop and send the voice message</source>
        <translation>Arrêter et envoyer le message vocal</translation>
    </message>
    <message>
        <source>Record a voice message</source>
        <translation>Enregistrer un message vocal</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Write to %1</source>
        <translation>Écrire à %1</translation>
    </message>
    <message>
        <source>Write a message</source>
        <translation>Écrire un message</translation>
    </message>
    <message>
        <source>%1 is typing…</source>
        <translation>%1 écrit…</translation>
    </message>
    <message>
        <source>%1 and %2 are typing…</source>
        <translation>%1 et %2 écrivent…</translation>
    </message>
    <message>
        <source>Several people are typing…</source>
        <translation>Plusieurs personnes écrivent…</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Edited message</source>
        <translation>Message modifié</translation>
    </message>
    <message>
        <source>Recording… speak now.</source>
        <translation>Enregistrement… parlez maintenant.</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <source>Online: %1</source>
        <translation>En ligne : %1</translation>
    </message>
    <message>
        <source>%1, online</source>
        <translation>%1, en ligne</translation>
    </message>
    <message>
        <source>%1, away</source>
        <translation>%1, absent</translation>
    </message>
    <message>
        <source>%1, offline</source>
        <translation>%1, hors ligne</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Modifier</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Delete this message?</source>
        <translation>Supprimer ce message ?</translation>
    </message>
    <message>
        <source>Everyone will see that it was deleted.</source>
        <translation>Tout le monde verra qu&apos;il a été supprimé.</translation>
    </message>
    <message>
        <source>Send a file</source>
        <translation>Envoyer un fichier</translation>
    </message>
</context>
<context>
    <name>CustomersScreen</name>
    <message>
        <source>New</source>
        <translation>Nouveau</translation>
    </message>
    <message>
        <source>Regular</source>
        <translation>Régulier</translation>
    </message>
    <message>
        <source>Top</source>
        <translation>Meilleur</translation>
    </message>
    <message>
        <source>Occasional</source>
        <translation>Occasionnel</translation>
    </message>
    <message>
        <source>Lapsed</source>
        <translation>Perdu de vue</translation>
    </message>
    <message>
        <source>No purchase yet</source>
        <translation>Pas encore d’achat</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>Name, phone or email</source>
        <translation>Nom, téléphone ou e-mail</translation>
    </message>
    <message>
        <source>Search clients</source>
        <translation>Chercher des clients</translation>
    </message>
    <message>
        <source>New clients</source>
        <translation>Nouveaux clients</translation>
    </message>
    <message>
        <source>By month</source>
        <translation>Par mois</translation>
    </message>
    <message>
        <source>By year</source>
        <translation>Par année</translation>
    </message>
    <message>
        <source>New clients per period</source>
        <translation>Nouveaux clients par période</translation>
    </message>
    <message numerus="yes">
        <source>%n purchase(s)</source>
        <translation>
            <numerusform>%n achat</numerusform>
            <numerusform>%n achats</numerusform>
        </translation>
    </message>
    <message>
        <source>No client found.</source>
        <translation>Aucun client trouvé.</translation>
    </message>
</context>
<context>
    <name>DayReportScreen</name>
    <message>
        <source>Day report</source>
        <translation>Rapport du jour</translation>
    </message>
    <message>
        <source>Previous day</source>
        <translation>Jour précédent</translation>
    </message>
    <message>
        <source>Next day</source>
        <translation>Jour suivant</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Aujourd&apos;hui</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Ventes</translation>
    </message>
    <message>
        <source>Returns</source>
        <translation>Retours</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>Chiffre d&apos;affaires</translation>
    </message>
    <message>
        <source>Tax</source>
        <translation>Taxe</translation>
    </message>
    <message>
        <source>Cash withdrawals</source>
        <translation>Retraits d&apos;espèces</translation>
    </message>
    <message>
        <source>Collected</source>
        <translation>Encaissé</translation>
    </message>
    <message>
        <source>By payment method</source>
        <translation>Par moyen de paiement</translation>
    </message>
    <message>
        <source>No payments on this day.</source>
        <translation>Aucun paiement ce jour-là.</translation>
    </message>
    <message>
        <source>By seller</source>
        <translation>Par vendeur</translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s)</source>
        <translation>
            <numerusform>%n vente</numerusform>
            <numerusform>%n ventes</numerusform>
        </translation>
    </message>
    <message>
        <source>Cash sessions</source>
        <translation>Sessions de caisse</translation>
    </message>
    <message>
        <source>%1 #%2</source>
        <translation>%1 n° %2</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>clôturée</translation>
    </message>
    <message>
        <source>open</source>
        <translation>ouverte</translation>
    </message>
    <message>
        <source>expected %1</source>
        <translation>attendu %1</translation>
    </message>
    <message>
        <source>counted %1</source>
        <translation>compté %1</translation>
    </message>
    <message>
        <source>No cash session on this day.</source>
        <translation>Aucune session de caisse ce jour-là.</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>Lignes</translation>
    </message>
    <message>
        <source>Nothing sold on this day.</source>
        <translation>Rien n&apos;a été vendu ce jour-là.</translation>
    </message>
</context>
<context>
    <name>ExpensesScreen</name>
    <message>
        <source>Expenses</source>
        <translation>Dépenses</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <source>Search expenses</source>
        <translation>Rechercher des dépenses</translation>
    </message>
    <message>
        <source>New expense</source>
        <translation>Nouvelle dépense</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message numerus="yes">
        <source>%n attachment(s)</source>
        <translation>
            <numerusform>%n pièce jointe</numerusform>
            <numerusform>%n pièces jointes</numerusform>
        </translation>
    </message>
    <message>
        <source>No expense matches this search.</source>
        <translation>Aucune dépense ne correspond à cette recherche.</translation>
    </message>
    <message>
        <source>No expenses recorded yet.</source>
        <translation>Aucune dépense enregistrée pour l&apos;instant.</translation>
    </message>
    <message>
        <source>Type the amount as a number, e.g. 42.50 or 42,50.</source>
        <translation>Tapez le montant en chiffres, par ex. 42,50 ou 42.50.</translation>
    </message>
    <message>
        <source>Choose a category.</source>
        <translation>Choisissez une catégorie.</translation>
    </message>
    <message>
        <source>Choose a photo of the bill</source>
        <translation>Choisissez une photo de la facture</translation>
    </message>
    <message>
        <source>Photos and PDF (*.jpg *.jpeg *.png *.webp *.pdf)</source>
        <translation>Photos et PDF (*.jpg *.jpeg *.png *.webp *.pdf)</translation>
    </message>
    <message>
        <source>e.g. 125.40</source>
        <translation>ex. 125.40</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>AAAA-MM-JJ</translation>
    </message>
    <message>
        <source>e.g. Electricity bill for March</source>
        <translation>ex. Facture d&apos;électricité de mars</translation>
    </message>
    <message>
        <source>Details (optional)</source>
        <translation>Détails (facultatif)</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <source>Photo of the bill (optional)</source>
        <translation>Photo de la facture (facultatif)</translation>
    </message>
    <message>
        <source>Choose a file…</source>
        <translation>Choisir un fichier…</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>Changer…</translation>
    </message>
    <message>
        <source>No file chosen</source>
        <translation>Aucun fichier choisi</translation>
    </message>
    <message>
        <source>Remove the file</source>
        <translation>Retirer le fichier</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
</context>
<context>
    <name>LanguageBox</name>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
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
        <translation>Aucune imprimante de tickets n’est réglée.</translation>
    </message>
    <message>
        <source>%1 is neither host:port nor a device path like /dev/usb/lp0.</source>
        <translation>%1 n’est ni hôte:port ni un chemin de périphérique comme /dev/usb/lp0.</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>pas de réponse</translation>
    </message>
    <message>
        <source>The receipt printer %1 did not take the ticket (%2). Check that it is on, connected and has paper, then print again.</source>
        <translation>L’imprimante de tickets %1 n’a pas pris le ticket (%2). Vérifiez qu’elle est allumée, branchée et qu’elle a du papier, puis imprimez à nouveau.</translation>
    </message>
</context>
<context>
    <name>Register</name>
    <message>
        <source>Offline: sales are kept and sent later</source>
        <translation>Hors ligne : les ventes sont gardées et envoyées plus tard</translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s) to send</source>
        <translation>
            <numerusform>%n vente à envoyer</numerusform>
            <numerusform>%n ventes à envoyer</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s) refused by the server</source>
        <translation>
            <numerusform>%n vente refusée par le serveur</numerusform>
            <numerusform>%n ventes refusées par le serveur</numerusform>
        </translation>
    </message>
    <message>
        <source>Return</source>
        <translation>Retour</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Imprimante</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Se déconnecter</translation>
    </message>
    <message>
        <source>Back office</source>
        <translation>Back-office</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>Imprimante de tickets</translation>
    </message>
    <message>
        <source>A network printer as host:port (192.168.1.50:9100), a printer plugged into this computer as its device (/dev/usb/lp0), or empty for none.</source>
        <translation>Une imprimante réseau en hôte:port (192.168.1.50:9100), une imprimante branchée sur cet ordinateur par son périphérique (/dev/usb/lp0), ou vide pour aucune.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <source>Your employee code and PIN</source>
        <translation>Votre code employé et votre code PIN</translation>
    </message>
    <message>
        <source>Employee code</source>
        <translation>Code employé</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>Code PIN</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>This computer is not a register yet. A manager signs in, opens Register mode and pairs it with one of the shop&apos;s registers.</source>
        <translation>Cet ordinateur n’est pas encore une caisse. Un responsable se connecte, ouvre le mode caisse et l’associe à l’une des caisses de la boutique.</translation>
    </message>
    <message>
        <source>Sign in to the back office</source>
        <translation>Se connecter au back-office</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <source>No cash session is open. Count the cash in the drawer to open one.</source>
        <translation>Aucune session de caisse n’est ouverte. Comptez les espèces du tiroir pour en ouvrir une.</translation>
    </message>
    <message>
        <source>Opening float</source>
        <translation>Fond de caisse</translation>
    </message>
    <message>
        <source>Open the drawer</source>
        <translation>Ouvrir la caisse</translation>
    </message>
    <message>
        <source>Basket</source>
        <translation>Panier</translation>
    </message>
    <message>
        <source>Basket (%1)</source>
        <translation>Panier (%1)</translation>
    </message>
    <message>
        <source>Sub-account</source>
        <translation>Sous-compte</translation>
    </message>
    <message>
        <source>Sub-account (%1)</source>
        <translation>Sous-compte (%1)</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Points: %1</source>
        <translation>Points : %1</translation>
    </message>
    <message>
        <source>No customer on this sale</source>
        <translation>Aucun client sur cette vente</translation>
    </message>
    <message>
        <source>Discount −%1</source>
        <translation>Remise −%1</translation>
    </message>
    <message>
        <source>Remove the line</source>
        <translation>Retirer la ligne</translation>
    </message>
    <message>
        <source>Scan a product or tap it.</source>
        <translation>Scannez un produit ou touchez-le.</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Change %1</source>
        <translation>Rendu %1</translation>
    </message>
    <message>
        <source>Return %1 · %2 given back in cash</source>
        <translation>Retour %1 · %2 rendus en espèces</translation>
    </message>
    <message>
        <source>Ticket %1 · %2 · change %3</source>
        <translation>Ticket %1 · %2 · rendu %3</translation>
    </message>
    <message>
        <source>Ticket %1 · %2</source>
        <translation>Ticket %1 · %2</translation>
    </message>
    <message>
        <source>Ticket %1 (provisional, offline) · %2 · change %3</source>
        <translation>Ticket %1 (provisoire, hors ligne) · %2 · rendu %3</translation>
    </message>
    <message>
        <source>Ticket %1 (provisional, offline) · %2</source>
        <translation>Ticket %1 (provisoire, hors ligne) · %2</translation>
    </message>
    <message>
        <source>Sale saved on this computer: it will be sent when the server is back.</source>
        <translation>Vente enregistrée sur cet ordinateur : elle sera envoyée quand le serveur sera de retour.</translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s) saved on this computer reached the server.</source>
        <translation>
            <numerusform>%n vente enregistrée sur cet ordinateur est arrivée au serveur.</numerusform>
            <numerusform>%n ventes enregistrées sur cet ordinateur sont arrivées au serveur.</numerusform>
        </translation>
    </message>
    <message>
        <source>Hide this message</source>
        <translation>Masquer ce message</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>The ticket prints when the sale reaches the server.</source>
        <translation>Le ticket s’imprime quand la vente arrive au serveur.</translation>
    </message>
    <message>
        <source>Print again</source>
        <translation>Réimprimer</translation>
    </message>
    <message>
        <source>Code or quantity</source>
        <translation>Code ou quantité</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Quantité</translation>
    </message>
    <message>
        <source>Add by code</source>
        <translation>Ajouter par code</translation>
    </message>
    <message>
        <source>Withdrawal</source>
        <translation>Retrait</translation>
    </message>
    <message>
        <source>Type the cash to hand to the customer, then tap Withdrawal.</source>
        <translation>Saisissez le montant en espèces à remettre au client, puis touchez Retrait.</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Remise</translation>
    </message>
    <message>
        <source>Type the amount off the chosen line, then tap Discount.</source>
        <translation>Saisissez le montant à retirer de la ligne choisie, puis touchez Remise.</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Espèces</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Carte</translation>
    </message>
    <message>
        <source>Phone (QR)</source>
        <translation>Téléphone (QR)</translation>
    </message>
    <message>
        <source>Cancel the basket</source>
        <translation>Annuler le panier</translation>
    </message>
    <message>
        <source>Customer of the sub-account</source>
        <translation>Client du sous-compte</translation>
    </message>
    <message>
        <source>Customer of the sale</source>
        <translation>Client de la vente</translation>
    </message>
    <message>
        <source>Name, phone number or loyalty card</source>
        <translation>Nom, numéro de téléphone ou carte de fidélité</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Chercher</translation>
    </message>
    <message>
        <source>Ticket number, e.g. 000123</source>
        <translation>Numéro du ticket, par ex. 000123</translation>
    </message>
    <message>
        <source>Several tickets have this number. Which one did the customer bring?</source>
        <translation>Plusieurs tickets ont ce numéro. Lequel le client a-t-il apporté ?</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 · %4</source>
        <translation>%1 · %2 · %3 · %4</translation>
    </message>
    <message>
        <source>Ticket %1 · %2 · %3 · %4</source>
        <translation>Ticket %1 · %2 · %3 · %4</translation>
    </message>
    <message>
        <source>Sold %1 × %2 · already back %3</source>
        <translation>Vendu %1 × %2 · déjà rendu %3</translation>
    </message>
    <message>
        <source>One less</source>
        <translation>Un de moins</translation>
    </message>
    <message>
        <source>One more</source>
        <translation>Un de plus</translation>
    </message>
    <message>
        <source>Why does it come back?</source>
        <translation>Pourquoi est-ce rapporté ?</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>Endommagé</translation>
    </message>
    <message>
        <source>Wrong item</source>
        <translation>Mauvais article</translation>
    </message>
    <message>
        <source>Changed their mind</source>
        <translation>A changé d’avis</translation>
    </message>
    <message>
        <source>Everything</source>
        <translation>Tout</translation>
    </message>
    <message>
        <source>Refund %1 in cash</source>
        <translation>Rembourser %1 en espèces</translation>
    </message>
    <message>
        <source>Pay %1 by phone</source>
        <translation>Payer %1 par téléphone</translation>
    </message>
    <message>
        <source>QR code to pay by phone</source>
        <translation>Code QR pour payer par téléphone</translation>
    </message>
    <message>
        <source>Waiting for the customer&apos;s payment…</source>
        <translation>En attente du paiement du client…</translation>
    </message>
    <message>
        <source>Cancel the QR payment</source>
        <translation>Annuler le paiement QR</translation>
    </message>
    <message>
        <source>This computer is now the register “%1”.</source>
        <translation>Cet ordinateur est maintenant la caisse « %1 ».</translation>
    </message>
    <message>
        <source>A customer is paying by phone. Wait for the payment, or cancel the QR payment, before signing out or leaving the register.</source>
        <translation>Un client paie par téléphone. Attendez le paiement, ou annulez le paiement QR, avant de vous déconnecter ou de quitter la caisse.</translation>
    </message>
    <message>
        <source>Type your employee code.</source>
        <translation>Saisissez votre code employé.</translation>
    </message>
    <message>
        <source>Type your PIN.</source>
        <translation>Saisissez votre code PIN.</translation>
    </message>
    <message>
        <source>Type your employee code and your PIN.</source>
        <translation>Saisissez votre code employé et votre code PIN.</translation>
    </message>
    <message>
        <source>Not locked: a payment or a sale waiting for the server needs this cashier.</source>
        <translation>Pas de verrouillage : un paiement ou une vente en attente du serveur a besoin de ce caissier.</translation>
    </message>
    <message>
        <source>Locked after a while without use. Sign in again to go on.</source>
        <translation>Verrouillée après un moment sans utilisation. Reconnectez-vous pour continuer.</translation>
    </message>
    <message>
        <source>Sales made here are still waiting for the server (%1). Sign out once they are sent.</source>
        <translation>Des ventes faites ici attendent encore le serveur (%1). Déconnectez-vous une fois qu’elles sont envoyées.</translation>
    </message>
    <message>
        <source>Type the cash in the drawer, e.g. 100.</source>
        <translation>Saisissez les espèces du tiroir, p. ex. 100.</translation>
    </message>
    <message>
        <source>A positive amount.</source>
        <translation>Un montant positif.</translation>
    </message>
    <message>
        <source>Type a quantity, then ×.</source>
        <translation>Saisissez une quantité, puis ×.</translation>
    </message>
    <message>
        <source>No product with code %1 in this register&apos;s catalog.</source>
        <translation>Aucun produit avec le code %1 dans le catalogue de cette caisse.</translation>
    </message>
    <message>
        <source>No product with code %1.</source>
        <translation>Aucun produit avec le code %1.</translation>
    </message>
    <message>
        <source>You may not give discounts.</source>
        <translation>Vous ne pouvez pas accorder de remises.</translation>
    </message>
    <message>
        <source>Tap a product line first.</source>
        <translation>Touchez d’abord une ligne de produit.</translation>
    </message>
    <message>
        <source>Type the amount off the line, then Discount.</source>
        <translation>Saisissez le montant à retirer de la ligne, puis Remise.</translation>
    </message>
    <message>
        <source>The discount cannot be more than the line (%1).</source>
        <translation>La remise ne peut pas dépasser la ligne (%1).</translation>
    </message>
    <message>
        <source>Type the cash to hand over, then Withdrawal.</source>
        <translation>Saisissez le montant à remettre, puis Retrait.</translation>
    </message>
    <message>
        <source>Cash withdrawal</source>
        <translation>Retrait d’espèces</translation>
    </message>
    <message>
        <source>%1 is the customer of this sale.</source>
        <translation>%1 est le client de cette vente.</translation>
    </message>
    <message>
        <source>Return %1 recorded: give %2 back in cash.</source>
        <translation>Retour %1 enregistré : rendez %2 en espèces.</translation>
    </message>
    <message>
        <source>The customer gave less than the total (%1).</source>
        <translation>Le client a donné moins que le total (%1).</translation>
    </message>
    <message>
        <source>At least the total.</source>
        <translation>Au moins le total.</translation>
    </message>
    <message>
        <source>The basket is empty.</source>
        <translation>Le panier est vide.</translation>
    </message>
    <message>
        <source>Phone payment needs the server. Take cash or card.</source>
        <translation>Le paiement par téléphone a besoin du serveur. Prenez des espèces ou une carte.</translation>
    </message>
    <message>
        <source>The QR payment was cancelled.</source>
        <translation>Le paiement QR a été annulé.</translation>
    </message>
    <message>
        <source>The QR code expired: start the phone payment again.</source>
        <translation>Le code QR a expiré : relancez le paiement par téléphone.</translation>
    </message>
    <message>
        <source>Payment accepted.</source>
        <translation>Paiement accepté.</translation>
    </message>
    <message>
        <source>Points: +%1 (balance %2)</source>
        <translation>Points : +%1 (solde %2)</translation>
    </message>
    <message>
        <source>Points: none for this sale (balance %1)</source>
        <translation>Points : aucun pour cette vente (solde %1)</translation>
    </message>
    <message>
        <source>The server refused a sale: %1</source>
        <translation>Le serveur a refusé une vente : %1</translation>
    </message>
    <message>
        <source>This sale is waiting for the server: its ticket prints as soon as the server records it.</source>
        <translation>Cette vente attend le serveur : son ticket s’imprimera dès que le serveur l’aura enregistrée.</translation>
    </message>
    <message>
        <source>Ticket printed.</source>
        <translation>Ticket imprimé.</translation>
    </message>
    <message>
        <source>Type a name or a phone number, or scan the loyalty card.</source>
        <translation>Saisissez un nom ou un numéro de téléphone, ou scannez la carte de fidélité.</translation>
    </message>
    <message>
        <source>No customer found for %1.</source>
        <translation>Aucun client trouvé pour %1.</translation>
    </message>
    <message>
        <source>Type or scan the number printed on the ticket.</source>
        <translation>Saisissez ou scannez le numéro imprimé sur le ticket.</translation>
    </message>
    <message>
        <source>No ticket %1.</source>
        <translation>Aucun ticket %1.</translation>
    </message>
    <message>
        <source>Ticket %1 has no product to take back.</source>
        <translation>Le ticket %1 n’a aucun produit à reprendre.</translation>
    </message>
    <message>
        <source>Everything on ticket %1 was already brought back.</source>
        <translation>Tout ce qui figure sur le ticket %1 a déjà été rapporté.</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>Enter your email address and your password.</source>
        <translation>Saisissez votre adresse e-mail et votre mot de passe.</translation>
    </message>
    <message>
        <source>Required.</source>
        <translation>Obligatoire.</translation>
    </message>
    <message>
        <source>Enter your email address.</source>
        <translation>Saisissez votre adresse e-mail.</translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation>Les deux mots de passe ne sont pas identiques.</translation>
    </message>
    <message>
        <source>Type the same password.</source>
        <translation>Tapez le même mot de passe.</translation>
    </message>
    <message>
        <source>This registration has expired. Check the store and continue again.</source>
        <translation>Cette inscription a expiré. Vérifiez le commerce et continuez à nouveau.</translation>
    </message>
    <message>
        <source>Hanout desktop on %1</source>
        <translation>Hanout bureau sur %1</translation>
    </message>
    <message>
        <source>Confirm your email address first: open the link in the email Hanout sent you, then sign in again.</source>
        <translation>Confirmez d&apos;abord votre adresse e-mail : ouvrez le lien de l&apos;e-mail envoyé par Hanout, puis reconnectez-vous.</translation>
    </message>
    <message>
        <source>The email address or the password is not right.</source>
        <translation>L&apos;adresse e-mail ou le mot de passe est incorrect.</translation>
    </message>
    <message>
        <source>That step has expired. Sign in again.</source>
        <translation>Cette étape a expiré. Reconnectez-vous.</translation>
    </message>
    <message>
        <source>You were signed out: the token was revoked or your access ended.</source>
        <translation>Vous avez été déconnecté : le jeton a été révoqué ou votre accès a pris fin.</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <source>Server unreachable</source>
        <translation>Serveur injoignable</translation>
    </message>
    <message>
        <source>Register mode</source>
        <translation>Mode caisse</translation>
    </message>
    <message>
        <source>Pair with another register</source>
        <translation>Associer à une autre caisse</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Se déconnecter</translation>
    </message>
    <message>
        <source>Make this computer a register</source>
        <translation>Faire de cet ordinateur une caisse</translation>
    </message>
    <message>
        <source>Sales made here will be this register&apos;s. Cashiers sign in with their employee code and PIN.</source>
        <translation>Les ventes faites ici seront celles de cette caisse. Les caissiers se connectent avec leur code employé et leur code PIN.</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>Caisse</translation>
    </message>
    <message>
        <source>This store has no register yet. Add one on the web, under Register → Registers, then open this window again.</source>
        <translation>Ce magasin n&apos;a pas encore de caisse. Ajoutez-en une sur le web, dans Caisse → Caisses, puis rouvrez cette fenêtre.</translation>
    </message>
    <message>
        <source>This computer is the register “%1”: pairing it again replaces that, and its old key stops working.</source>
        <translation>Cet ordinateur est la caisse « %1 » : l’associer à nouveau remplace cette association, et son ancienne clé cesse de fonctionner.</translation>
    </message>
    <message>
        <source>Name of this computer, e.g. Counter</source>
        <translation>Nom de cet ordinateur, p. ex. Comptoir</translation>
    </message>
    <message>
        <source>Pair and open the register</source>
        <translation>Associer et ouvrir la caisse</translation>
    </message>
    <message>
        <source>This computer is not a register yet. Ask an owner or a manager to make this computer a register.</source>
        <translation>Cet ordinateur n’est pas encore une caisse. Demandez à un propriétaire ou à un gérant d’en faire une caisse.</translation>
    </message>
    <message>
        <source>Another store&apos;s register</source>
        <translation>La caisse d&apos;un autre magasin</translation>
    </message>
    <message>
        <source>This computer is the register “%1” of %2, not of %3.</source>
        <translation>Cet ordinateur est la caisse « %1 » de %2, pas de %3.</translation>
    </message>
    <message>
        <source>This computer is the register “%1” of another business.</source>
        <translation>Cet ordinateur est la caisse « %1 » d&apos;une autre entreprise.</translation>
    </message>
    <message>
        <source>Pair it with one of this store&apos;s registers instead?</source>
        <translation>L&apos;associer plutôt à l&apos;une des caisses de ce magasin ?</translation>
    </message>
    <message>
        <source>Ask an owner or a manager to make this computer one of this store&apos;s registers.</source>
        <translation>Demandez à un propriétaire ou à un gérant d’en faire l’une des caisses de ce magasin.</translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s) made at that register wait to be sent. Open the register as its store first, so that they reach the server.</source>
        <translation>
            <numerusform>%n vente faite à cette caisse attend d&apos;être envoyée. Ouvrez d&apos;abord la caisse en tant que son magasin, pour qu&apos;elle parvienne au serveur.</numerusform>
            <numerusform>%n ventes faites à cette caisse attendent d&apos;être envoyées. Ouvrez d&apos;abord la caisse en tant que son magasin, pour qu&apos;elles parviennent au serveur.</numerusform>
        </translation>
    </message>
    <message>
        <source>Pair with this store</source>
        <translation>Associer à ce magasin</translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation>Catalogue</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>Stock</translation>
    </message>
    <message>
        <source>Expenses</source>
        <translation>Dépenses</translation>
    </message>
    <message>
        <source>Suppliers</source>
        <translation>Fournisseurs</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>Employees</source>
        <translation>Employés</translation>
    </message>
    <message>
        <source>Sponsorship</source>
        <translation>Parrainage</translation>
    </message>
    <message>
        <source>Day report</source>
        <translation>Rapport du jour</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
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
        <translation>Authentification à deux facteurs</translation>
    </message>
    <message>
        <source>Check your email</source>
        <translation>Vérifiez vos e-mails</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Serveur</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>Adresse e-mail</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <source>Email me a sign-in code instead</source>
        <translation>M&apos;envoyer plutôt un code de connexion par e-mail</translation>
    </message>
    <message>
        <source>Register a new store</source>
        <translation>Inscrire un nouveau commerce</translation>
    </message>
    <message>
        <source>We sent a sign-in code to %1. Type it here.</source>
        <translation>Nous avons envoyé un code de connexion à %1. Saisissez-le ici.</translation>
    </message>
    <message>
        <source>Open your authenticator app and type the 6-digit code for Hanout.</source>
        <translation>Ouvrez votre application d&apos;authentification et saisissez le code à 6 chiffres pour Hanout.</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuer</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Retour</translation>
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
        <translation>Langue</translation>
    </message>
    <message>
        <source>Register a store</source>
        <translation>Inscrire votre commerce</translation>
    </message>
    <message>
        <source>Step 1 of 2: the store</source>
        <translation>Étape 1 sur 2 : le commerce</translation>
    </message>
    <message>
        <source>Step 2 of 2: its manager</source>
        <translation>Étape 2 sur 2 : son gérant</translation>
    </message>
    <message>
        <source>Business name</source>
        <translation>Nom du commerce</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Pays</translation>
    </message>
    <message>
        <source>Choose the country</source>
        <translation>Choisissez le pays</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Devise</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Fuseau horaire</translation>
    </message>
    <message>
        <source>First shop&apos;s name</source>
        <translation>Nom de la première boutique</translation>
    </message>
    <message>
        <source>Leave empty to use the business name.</source>
        <translation>Laissez vide pour reprendre le nom du commerce.</translation>
    </message>
    <message>
        <source>First shop&apos;s address</source>
        <translation>Adresse de la première boutique</translation>
    </message>
    <message>
        <source>Default language</source>
        <translation>Langue par défaut</translation>
    </message>
    <message>
        <source>Referral code (optional)</source>
        <translation>Code de parrainage (facultatif)</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuer</translation>
    </message>
    <message>
        <source>The manager of %1. You will receive an email to confirm your address.</source>
        <translation>Le gérant de %1. Vous recevrez un e-mail pour confirmer votre adresse.</translation>
    </message>
    <message>
        <source>Invited by %1.</source>
        <translation>Invité par %1.</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Nom complet</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>Adresse e-mail</translation>
    </message>
    <message>
        <source>Phone (optional)</source>
        <translation>Téléphone (facultatif)</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <source>Password (again)</source>
        <translation>Mot de passe (encore)</translation>
    </message>
    <message>
        <source>Create the store</source>
        <translation>Créer le commerce</translation>
    </message>
    <message>
        <source>Change the store</source>
        <translation>Modifier le commerce</translation>
    </message>
    <message>
        <source>%1 is registered. We sent an email to %2: open its link to confirm your address, then sign in here.</source>
        <translation>%1 est inscrit. Nous avons envoyé un e-mail à %2 : ouvrez son lien pour confirmer votre adresse, puis connectez-vous ici.</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>I already have an account</source>
        <translation>J&apos;ai déjà un compte</translation>
    </message>
</context>
<context>
    <name>SponsorshipScreen</name>
    <message>
        <source>One-time reward</source>
        <translation>Prime unique</translation>
    </message>
    <message>
        <source>Share of fees</source>
        <translation>Part des frais</translation>
    </message>
    <message>
        <source>Reversal</source>
        <translation>Annulation</translation>
    </message>
    <message>
        <source>Sponsorship</source>
        <translation>Parrainage</translation>
    </message>
    <message>
        <source>Your sponsorship code</source>
        <translation>Votre code de parrainage</translation>
    </message>
    <message>
        <source>Registration link</source>
        <translation>Lien d’inscription</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Earned from sponsoring</source>
        <translation>Gagné en parrainant</translation>
    </message>
    <message>
        <source>Businesses sponsored</source>
        <translation>Commerces parrainés</translation>
    </message>
    <message>
        <source>Active now</source>
        <translation>Actifs maintenant</translation>
    </message>
    <message>
        <source>Programme “%1”: %2 %3 once a sponsored business has been active %4 days, then %5% of its fees for %6 months.</source>
        <translation>Programme « %1 » : %2 %3 dès qu’un commerce parrainé a été actif %4 jours, puis %5 % de ses frais pendant %6 mois.</translation>
    </message>
    <message>
        <source>Invitation sent to %1.</source>
        <translation>Invitation envoyée à %1.</translation>
    </message>
    <message>
        <source>Invite a business by email</source>
        <translation>Inviter un commerce par e-mail</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>Adresse e-mail</translation>
    </message>
    <message>
        <source>A word from you (optional)</source>
        <translation>Un mot de votre part (facultatif)</translation>
    </message>
    <message>
        <source>Send the invitation</source>
        <translation>Envoyer l’invitation</translation>
    </message>
    <message>
        <source>active</source>
        <translation>actif</translation>
    </message>
    <message>
        <source>inactive</source>
        <translation>inactif</translation>
    </message>
    <message>
        <source>No business registered with your code yet.</source>
        <translation>Aucun commerce ne s’est encore inscrit avec votre code.</translation>
    </message>
    <message>
        <source>Rewards</source>
        <translation>Récompenses</translation>
    </message>
    <message>
        <source>No reward yet.</source>
        <translation>Aucune récompense pour l’instant.</translation>
    </message>
</context>
<context>
    <name>StaffScreen</name>
    <message>
        <source>Catalog</source>
        <translation>Catalogue</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>Stock</translation>
    </message>
    <message>
        <source>Suppliers</source>
        <translation>Fournisseurs</translation>
    </message>
    <message>
        <source>Purchasing</source>
        <translation>Achats</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Ventes</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>Caisse</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>Expenses</source>
        <translation>Dépenses</translation>
    </message>
    <message>
        <source>Sponsorship</source>
        <translation>Parrainage</translation>
    </message>
    <message>
        <source>Marketplace</source>
        <translation>Place de marché</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Rapports</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>Personnel</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>No access</source>
        <translation>Aucun accès</translation>
    </message>
    <message>
        <source>Read only</source>
        <translation>Lecture seule</translation>
    </message>
    <message>
        <source>Full access</source>
        <translation>Accès complet</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Propriétaire</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>Gérant</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>Employé</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Caissier</translation>
    </message>
    <message>
        <source>Employees</source>
        <translation>Employés</translation>
    </message>
    <message>
        <source>Search by name, email or code</source>
        <translation>Rechercher par nom, e-mail ou code</translation>
    </message>
    <message>
        <source>Search employees</source>
        <translation>Rechercher des employés</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Actif</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inactif</translation>
    </message>
    <message>
        <source>No employee matches this search.</source>
        <translation>Aucun employé ne correspond à cette recherche.</translation>
    </message>
    <message>
        <source>No employees yet.</source>
        <translation>Aucun employé pour l&apos;instant.</translation>
    </message>
    <message>
        <source>Choose an employee to see their access.</source>
        <translation>Choisissez un employé pour voir ses accès.</translation>
    </message>
    <message>
        <source>Code %1</source>
        <translation>Code %1</translation>
    </message>
    <message>
        <source>Deactivated on %1</source>
        <translation>Désactivé le %1</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>Désactiver</translation>
    </message>
    <message>
        <source>Reactivate</source>
        <translation>Réactiver</translation>
    </message>
    <message>
        <source>Access by module</source>
        <translation>Accès par module</translation>
    </message>
    <message>
        <source>“Role default” follows the role; any other choice applies to this employee only.</source>
        <translation>« Selon le rôle » suit le rôle ; tout autre choix s&apos;applique à cet employé uniquement.</translation>
    </message>
    <message>
        <source>What this employee may see and change in each module.</source>
        <translation>Ce que cet employé peut voir et modifier dans chaque module.</translation>
    </message>
    <message>
        <source>Set for this employee</source>
        <translation>Défini pour cet employé</translation>
    </message>
    <message>
        <source>Role default</source>
        <translation>Selon le rôle</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Aucun</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Lecture</translation>
    </message>
    <message>
        <source>Full</source>
        <translation>Complet</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>Deactivate %1?</source>
        <translation>Désactiver %1 ?</translation>
    </message>
    <message>
        <source>They can no longer sign in, their API tokens are revoked, and their history is kept. You can reactivate them later.</source>
        <translation>Cette personne ne pourra plus se connecter, ses jetons d&apos;API sont révoqués et son historique est conservé. Vous pourrez la réactiver plus tard.</translation>
    </message>
    <message>
        <source>Note (optional)</source>
        <translation>Note (facultatif)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
</context>
<context>
    <name>StockScreen</name>
    <message>
        <source>Search by product name, SKU or barcode</source>
        <translation>Rechercher par nom de produit, SKU ou code-barres</translation>
    </message>
    <message>
        <source>Low stock only</source>
        <translation>Stock bas uniquement</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produit</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Emplacement</translation>
    </message>
    <message>
        <source>On hand</source>
        <translation>En stock</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>Disponible</translation>
    </message>
    <message>
        <source>SKU %1</source>
        <translation>SKU %1</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Bas</translation>
    </message>
    <message>
        <source>No product is low on stock.</source>
        <translation>Aucun produit n&apos;est en stock bas.</translation>
    </message>
    <message>
        <source>No stock levels match.</source>
        <translation>Aucun niveau de stock ne correspond.</translation>
    </message>
</context>
<context>
    <name>SuppliersScreen</name>
    <message>
        <source>Suppliers</source>
        <translation>Fournisseurs</translation>
    </message>
    <message>
        <source>Search suppliers</source>
        <translation>Rechercher des fournisseurs</translation>
    </message>
    <message numerus="yes">
        <source>%n product(s)</source>
        <translation>
            <numerusform>%n produit</numerusform>
            <numerusform>%n produits</numerusform>
        </translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inactif</translation>
    </message>
    <message>
        <source>No supplier matches this search.</source>
        <translation>Aucun fournisseur ne correspond à cette recherche.</translation>
    </message>
    <message>
        <source>No suppliers yet.</source>
        <translation>Aucun fournisseur pour l&apos;instant.</translation>
    </message>
    <message>
        <source>Spend per supplier</source>
        <translation>Dépenses par fournisseur</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 derniers jours</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>90 derniers jours</translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation>12 derniers mois</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Période</translation>
    </message>
    <message>
        <source>Invoices dated in the period, tax included: %1 in all.</source>
        <translation>Factures datées de la période, TTC : %1 au total.</translation>
    </message>
    <message>
        <source>The spend per supplier comes from Purchasing; you have no access to it.</source>
        <translation>Les dépenses par fournisseur proviennent des Achats ; vous n&apos;y avez pas accès.</translation>
    </message>
    <message>
        <source>No supplier invoice in this period.</source>
        <translation>Aucune facture fournisseur sur cette période.</translation>
    </message>
</context>
<context>
    <name>Voice</name>
    <message>
        <source>No microphone found. Plug one in, or allow the app to use it.</source>
        <translation>Aucun microphone trouvé. Branchez-en un, ou autorisez l&apos;application à l&apos;utiliser.</translation>
    </message>
    <message>
        <source>Too short to send: hold on a little longer while you speak.</source>
        <translation>Trop court pour être envoyé : enregistrez un peu plus longtemps.</translation>
    </message>
    <message>
        <source>The recording stopped: %1</source>
        <translation>L&apos;enregistrement s&apos;est arrêté : %1</translation>
    </message>
    <message>
        <source>Cannot play this voice message: %1</source>
        <translation>Impossible de lire ce message vocal : %1</translation>
    </message>
</context>
</TS>
