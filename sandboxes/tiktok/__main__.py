from sandboxes.common.app import serve
from sandboxes.tiktok.platform import TikTok

if __name__ == "__main__":
    serve(TikTok(), TikTok.defaults)
