"""Deterministic demo content: categories, product templates and name parts. Data, not logic."""

# (slug, name, English name, children: [(slug, name, English name)])
CATEGORIES = [
    ("makanan-minuman", "Makanan & Minuman", "Food & Drinks", [
        ("kopi", "Kopi", "Coffee"),
        ("madu", "Madu", "Honey"),
        ("keripik-camilan", "Keripik & Camilan", "Chips & Snacks"),
        ("sambal-bumbu", "Sambal & Bumbu", "Chili Sauce & Spices"),
        ("kue-kering", "Kue Kering", "Cookies"),
        ("jamu-herbal", "Jamu & Herbal", "Herbal Drinks"),
        ("minuman-gula-aren", "Air Minum & Gula Aren", "Water & Palm Sugar"),
    ]),
    ("fashion-muslim", "Fashion Muslim", "Muslim Fashion", [
        ("batik", "Batik", "Batik"),
        ("sarung", "Sarung", "Sarong"),
        ("kerudung-hijab", "Kerudung & Hijab", "Headscarves"),
        ("peci", "Peci & Kopiah", "Caps"),
        ("busana-muslim", "Busana Muslim", "Modest Wear"),
    ]),
    ("kerajinan-buku", "Kerajinan & Buku", "Crafts & Books", [
        ("kerajinan-tangan", "Kerajinan Tangan", "Handicrafts"),
        ("kitab-buku", "Kitab & Buku", "Books"),
    ]),
    ("kesehatan-kecantikan", "Kesehatan & Kecantikan", "Health & Beauty", [
        ("sabun-kosmetik", "Sabun & Kosmetik", "Soap & Cosmetics"),
    ]),
]

# category slug -> (product bases, option name, option values with (price, grams), food?)
PRODUCTS = {
    "kopi": (["Kopi Robusta", "Kopi Arabika", "Kopi Luwak Liar", "Kopi Bubuk Tubruk", "Kopi Rempah", "Kopi Lanang"],
             "Berat", [("100 g", 25000, 120), ("250 g", 55000, 280), ("500 g", 98000, 540)], True),
    "madu": (["Madu Hutan", "Madu Randu", "Madu Kelengkeng", "Madu Klanceng", "Madu Multiflora"],
             "Isi", [("250 ml", 65000, 380), ("500 ml", 120000, 720)], True),
    "keripik-camilan": (["Keripik Singkong Pedas", "Keripik Tempe", "Keripik Pisang Manis", "Rengginang",
                         "Kripik Talas", "Emping Melinjo", "Makaroni Pedas"],
                        "Rasa", [("Original", 12000, 150), ("Pedas", 13000, 150), ("Balado", 13000, 150)], True),
    "sambal-bumbu": (["Sambal Bawang", "Sambal Cumi", "Sambal Teri", "Bumbu Pecel", "Petis Udang"],
                     "Ukuran", [("150 g", 22000, 220), ("250 g", 35000, 330)], True),
    "kue-kering": (["Kue Nastar", "Kue Kastengel", "Putri Salju", "Kue Bawang", "Kue Lidah Kucing"],
                   "Ukuran", [("250 g", 45000, 400), ("500 g", 85000, 750)], True),
    "jamu-herbal": (["Jamu Kunyit Asam", "Wedang Uwuh", "Jahe Merah Instan", "Temulawak Instan", "Beras Kencur"],
                    "Isi", [("250 g", 30000, 300), ("500 g", 55000, 560)], True),
    "minuman-gula-aren": (["Air Mineral Santri", "Gula Aren Cair", "Gula Semut Aren", "Sirup Jahe"],
                          "Kemasan", [("Botol", 18000, 650), ("Dus isi 6", 95000, 3900)], True),
    "batik": (["Batik Tulis", "Batik Cap", "Kemeja Batik", "Kain Batik Sogan", "Batik Tulis Madura"],
              "Ukuran", [("M", 185000, 300), ("L", 195000, 320), ("XL", 205000, 340)], False),
    "sarung": (["Sarung Tenun Goyor", "Sarung Tenun Ikat", "Sarung Songket", "Sarung Santri"],
               "Motif", [("Kotak", 145000, 450), ("Polos", 135000, 450), ("Kembang", 160000, 450)], False),
    "kerudung-hijab": (["Kerudung Instan", "Jilbab Segi Empat", "Hijab Pashmina", "Kerudung Bergo", "Jilbab Syar'i"],
                       "Warna", [("Hitam", 45000, 150), ("Navy", 45000, 150), ("Mocca", 48000, 150)], False),
    "peci": (["Peci Hitam Polos", "Kopiah Rajut", "Songkok Nasional", "Peci Bordir"],
             "Ukuran", [("No. 6", 35000, 120), ("No. 7", 37000, 130), ("No. 8", 39000, 140)], False),
    "busana-muslim": (["Gamis Katun", "Baju Koko", "Mukena Katun", "Tunik Santri"],
                      "Ukuran", [("M", 150000, 400), ("L", 160000, 420), ("XL", 170000, 440)], False),
    "kerajinan-tangan": (["Tasbih Kayu Kokka", "Sajadah Anyam", "Tas Anyaman Pandan", "Kaligrafi Kayu",
                          "Miniatur Masjid"],
                         "Ukuran", [("Kecil", 55000, 300), ("Besar", 125000, 900)], False),
    "kitab-buku": (["Kitab Safinatun Najah", "Kitab Jurumiyah", "Buku Tajwid Praktis", "Kitab Tafsir Jalalain",
                    "Buku Doa Harian"],
                   "Sampul", [("Soft cover", 35000, 250), ("Hard cover", 65000, 450)], False),
    "sabun-kosmetik": (["Sabun Zaitun", "Sabun Susu Kambing", "Minyak Kayu Putih", "Sabun Sereh", "Lulur Santri"],
                       "Isi", [("1 pcs", 15000, 100), ("Paket 3 pcs", 40000, 300)], False),
}

DESCRIPTIONS = {
    True: ("{name} buatan santri {pesantren}, diolah tanpa bahan pengawet di dapur koperasi pesantren. "
           "Cocok untuk oleh-oleh khas {region}. Dikemas rapi dan aman untuk pengiriman jauh."),
    False: ("{name} hasil karya santri {pesantren} dari {region}. Dibuat dengan teliti oleh pengrajin binaan "
            "koperasi pesantren, bahan pilihan dan nyaman dipakai sehari-hari."),
}

PESANTREN_FIRST = ["Darul", "Nurul", "Miftahul", "Raudlatul", "Bustanul", "Hidayatul", "Mambaul", "Sabilul",
                   "Al-Hikmah", "Fathul", "Baitul", "Roudlotul"]
PESANTREN_SECOND = ["Ulum", "Huda", "Falah", "Jannah", "Qur'an", "Muttaqin", "Hasanah", "Amin", "Ma'arif",
                    "Mubtadiin", "Hikam"]
LEADERS = ["KH. Abdullah Faqih", "KH. Ahmad Muzakki", "KH. Hasyim Asy'ari", "Nyai Hj. Siti Aminah", "KH. Zainal Arifin",
           "KH. Mahfudz Syafi'i", "Nyai Hj. Khadijah", "KH. Mustofa Bisri", "KH. Imam Suyuti", "KH. Nur Hasan"]

# 24 regencies and cities that get koperasi in the demo (code, street sample).
DEMO_REGIONS = [
    "kab-jember", "kab-malang", "kota-malang", "kab-jombang", "kab-kediri", "kota-kediri", "kab-bondowoso",
    "kab-pasuruan", "kab-probolinggo", "kab-situbondo", "kab-sumenep", "kab-pamekasan", "kab-bangkalan",
    "kab-banyuwangi", "kab-lamongan", "kab-gresik", "kab-sidoarjo", "kota-surabaya", "kab-tuban",
    "kab-ponorogo", "kab-blitar", "kab-tulungagung", "kab-mojokerto", "kota-batu",
]
